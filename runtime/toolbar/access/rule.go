package access

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Rule says which requests may see the toolbar while it is on. The zero
// Rule allows requests from a loopback address whose Host names the
// machine, and no request that carries forwarded headers.
type Rule struct {
	// AllowedHosts are host names (without port) allowed besides
	// localhost, *.localhost and IP addresses: "app.test", or ".test" for
	// test and every name under it. The check defends against DNS
	// rebinding: a page of another site whose name the attacker points at
	// 127.0.0.1 would otherwise read the toolbar's data with the browser
	// of a developer who visits it.
	AllowedHosts []string

	// ClientIP returns the client's address. By default it is the host of
	// r.RemoteAddr, or the forwarded client when TrustForwarded is set.
	// Setting it says that you handle proxies: forwarded headers no longer
	// turn a request away.
	ClientIP func(r *http.Request) netip.Addr

	// TrustForwarded says that the program runs behind a reverse proxy of
	// your own that sets forwarded headers: the client is then the last
	// address of X-Forwarded-For (else the last for= of Forwarded, else
	// X-Real-IP), the one your proxy added, and the host the last of
	// X-Forwarded-Host (else Forwarded's host=). Set it only behind such a
	// proxy, or anyone can claim loopback. Without it (and without
	// ClientIP) a request that carries any forwarded header is turned
	// away: it came through a proxy, and behind a proxy every request
	// comes from loopback.
	TrustForwarded bool
}

// Allows reports whether r may see the toolbar: its client is a loopback
// address, its Host names the machine or one of AllowedHosts, and it
// carries no forwarded header unless the rule trusts them.
func (rule *Rule) Allows(r *http.Request) bool {
	if rule.ClientIP == nil && !rule.TrustForwarded && Forwarded(r) {
		return false
	}
	return rule.clientIP(r).IsLoopback() && rule.hostAllowed(rule.host(r))
}

// Default returns the check of a debug handler that has no options of its
// own, the same as the toolbar's with zero Options: when the toolbar is
// off in this process (see [Enabled] with [Auto]), a check that allows no
// one; otherwise the zero [Rule]'s Allows.
func Default() func(*http.Request) bool {
	if !Enabled(Auto) {
		return Nobody
	}
	var rule Rule
	return rule.Allows
}

// Nobody allows no request.
func Nobody(*http.Request) bool { return false }

// Forwarded reports whether r carries a header that a proxy adds to say
// whom it forwards: Forwarded, Via, X-Forwarded-*, X-Real-IP and the
// client-address headers of CDNs.
func Forwarded(r *http.Request) bool {
	for name := range r.Header {
		switch name {
		case "Forwarded", "Via", "X-Real-Ip", "X-Client-Ip", "True-Client-Ip",
			"Cf-Connecting-Ip", "Fastly-Client-Ip", "X-Cluster-Client-Ip",
			"X-Original-Forwarded-For", "X-Original-Host":
			return true
		}
		if strings.HasPrefix(name, "X-Forwarded-") {
			return true
		}
	}
	return false
}

// clientIP returns the client's address as the rule configures it. A
// forwarded address that cannot be read is the zero Addr: not loopback.
func (rule *Rule) clientIP(r *http.Request) netip.Addr {
	if rule.ClientIP != nil {
		return rule.ClientIP(r)
	}
	if rule.TrustForwarded {
		if last, ok := lastValue(r.Header, "X-Forwarded-For"); ok {
			return parseAddr(last)
		}
		if f, ok := lastValue(r.Header, "Forwarded"); ok {
			return parseAddr(forwardedParam(f, "for"))
		}
		if ip, ok := lastValue(r.Header, "X-Real-Ip"); ok {
			return parseAddr(ip)
		}
	}
	return remoteAddr(r)
}

// host returns the Host the browser sent: r.Host, or the forwarded host
// when the rule trusts forwarded headers.
func (rule *Rule) host(r *http.Request) string {
	if rule.TrustForwarded {
		if h, ok := lastValue(r.Header, "X-Forwarded-Host"); ok {
			return h
		}
		if f, ok := lastValue(r.Header, "Forwarded"); ok {
			if h := forwardedParam(f, "host"); h != "" {
				return h
			}
		}
	}
	return r.Host
}

// hostAllowed reports whether the Host header host names the machine
// itself or a host the rule allows (see AllowedHosts).
func (rule *Rule) hostAllowed(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if _, err := netip.ParseAddr(host); err == nil {
		return true // a name, not an address, is what rebinding needs
	}
	if host == "" || host == "localhost" || strings.HasSuffix(host, ".localhost") {
		// No Host at all (HTTP/1.0, or a request made in-process) names no
		// other site either.
		return true
	}
	for _, allowed := range rule.AllowedHosts {
		allowed = strings.ToLower(allowed)
		if host == allowed || (strings.HasPrefix(allowed, ".") && (host == allowed[1:] || strings.HasSuffix(host, allowed))) {
			return true
		}
	}
	return false
}

// lastValue returns the last element of a comma-separated header that may
// be repeated: the one the nearest proxy added.
func lastValue(h http.Header, name string) (string, bool) {
	values := h.Values(name)
	if len(values) == 0 {
		return "", false
	}
	last := values[len(values)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	return strings.TrimSpace(last), true
}

// forwardedParam returns a parameter of one element of a Forwarded header
// (RFC 7239), unquoted: for=192.0.2.60;proto=http;host=example.com.
func forwardedParam(element, name string) string {
	for pair := range strings.SplitSeq(element, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if ok && strings.EqualFold(k, name) {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

// parseAddr reads an address with or without a port or brackets; what is
// not an address (unknown, _hidden) is the zero Addr.
func parseAddr(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	a, _ := netip.ParseAddr(strings.Trim(s, "[]"))
	return a.Unmap()
}

func remoteAddr(r *http.Request) netip.Addr {
	return parseAddr(r.RemoteAddr)
}

// SetPrivateHeaders marks a response of the toolbar's own (its API, panel
// content, EXPLAIN, profile downloads) as private to the page that asked:
// never stored (Cache-Control: no-store), never sniffed into another type
// (X-Content-Type-Options: nosniff), and not readable by another site's
// page (Cross-Origin-Resource-Policy: same-origin). It is the one list of
// these headers that every such handler applies.
func SetPrivateHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}
