package redact

import (
	"net/url"
	"testing"
)

func TestRedaction(t *testing.T) {
	for name, secret := range map[string]bool{
		"Authorization": true, "X-Api-Key": true, "api_key": true, "access_token": true, "password": true,
		"X-Amz-Signature": true, "client_secret": true, "Cookie": true, "PASSWD": true, "X-Auth-User": true,
		"Accept": false, "Content-Type": false, "page": false, "q": false, "User-Agent": false,
	} {
		if IsSecret(name) != secret {
			t.Errorf("IsSecret(%q) = %v", name, !secret)
		}
	}
	u, _ := url.Parse("/p%20q?b=2&access_token=t0k&a=%3C1%3E")
	if got := RedactURI(u); got != "/p%20q?a=%3C1%3E&access_token=********&b=2" {
		t.Errorf("RedactURI = %q", got)
	}
	u, _ = url.Parse("/p?b=2&a=1")
	if got := RedactURI(u); got != "/p?b=2&a=1" {
		t.Errorf("RedactURI without secrets = %q, want the query as it was", got)
	}
}
