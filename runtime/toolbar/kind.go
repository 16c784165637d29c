package toolbar

import (
	"mime"
	"net/http"
	"strings"
)

// Kinds of recorded request, as Summary.Kind and the History say.
const (
	KindPage  = "page"  // a navigation: what the address bar shows
	KindFetch = "fetch" // fetch, XHR, or any other request a page's script makes
	KindAsset = "asset" // a stylesheet, script, font, image, audio, video, manifest
)

// requestKind says what r was to the browser, from its request headers and
// its response's Content-Type.
func requestKind(r *http.Request, contentType string) string {
	switch {
	case assetDestination(r) || assetType(contentType):
		return KindAsset
	case isXHR(r, contentType):
		return KindFetch
	}
	return KindPage
}

// assetDestination reports whether the browser says, with Sec-Fetch-Dest,
// that r loads a static asset: the toolbar then knows before the handler
// runs that it need not record it.
func assetDestination(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Dest") {
	case "style", "script", "font", "image", "audio", "video", "track",
		"manifest", "worker", "sharedworker", "serviceworker",
		"audioworklet", "paintworklet", "xslt", "object", "embed":
		return true
	}
	return false
}

// assetType reports whether a response's Content-Type is a static
// asset's: for clients that send no Sec-Fetch-Dest (curl, older browsers)
// and for assets a script fetches.
func assetType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	major, _, _ := strings.Cut(mt, "/")
	switch major {
	case "image", "font", "audio", "video":
		return true
	}
	switch mt {
	case "text/css", "text/javascript", "application/javascript", "application/x-javascript",
		"application/ecmascript", "text/ecmascript", "application/wasm", "application/manifest+json",
		"text/vtt", "application/vnd.ms-fontobject", "application/font-woff", "application/font-woff2",
		"application/x-font-ttf", "application/x-font-opentype":
		return true
	}
	return false
}

// isXHR reports whether a request was not a page navigation.
func isXHR(r *http.Request, contentType string) bool {
	if mode := r.Header.Get("Sec-Fetch-Mode"); mode != "" {
		return mode != "navigate"
	}
	if r.Header.Get("X-Requested-With") != "" {
		return true
	}
	return !isHTML(contentType)
}
