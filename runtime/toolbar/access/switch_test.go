package access

import "testing"

func TestEnabled(t *testing.T) {
	for _, tt := range []struct {
		built           bool
		enable, disable string
		s               Switch
		want            bool
		why             string
	}{
		{why: "a plain go build is off"},
		{built: true, want: true, why: "built by ddt"},
		{built: true, disable: "1", why: "DDT_DISABLE wins over the build"},
		{built: true, enable: "0", why: "DDT_ENABLE=0 turns it off"},
		{built: true, disable: "please", why: "an unreadable DDT_DISABLE counts as set"},
		{built: true, disable: "0", want: true, why: "DDT_DISABLE=0 says nothing"},
		{enable: "1", want: true, why: "DDT_ENABLE turns a plain build on"},
		{enable: "TRUE", want: true, why: "in any case"},
		{enable: "please", why: "an unreadable DDT_ENABLE turns nothing on"},
		{s: On, want: true, why: "On in code"},
		{s: On, disable: "1", why: "DDT_DISABLE wins over On"},
		{s: Off, built: true, enable: "1", why: "Off in code wins over the build and DDT_ENABLE"},
	} {
		t.Run(tt.why, func(t *testing.T) {
			t.Setenv(EnableEnv, tt.enable)
			t.Setenv(DisableEnv, tt.disable)
			defer func(was bool) { builtByDDT = was }(builtByDDT)
			builtByDDT = tt.built
			if got := Enabled(tt.s); got != tt.want {
				t.Errorf("built %v, %s=%q, %s=%q, switch %d: Enabled = %v, want %v", tt.built, EnableEnv, tt.enable, DisableEnv, tt.disable, tt.s, got, tt.want)
			}
		})
	}
}
