package ddtrt_test

import (
	"errors"
	"github.com/go-ddt/ddt/runtime/event"
	"io"
	"net/url"
	"strings"
	"testing"

	ddtrt "github.com/go-ddt/ddt/runtime/ddtrt"
)

type panickyError struct{ Code int }

func (panickyError) Error() string { panic("Error panicked") }

type nilReceiverError struct{ msg string }

func (e *nilReceiverError) Error() string { return e.msg }

type longError struct{}

func (longError) Error() string { return strings.Repeat("x", 10*event.MaxRenderString) }

// TestErrorsRenderAsTheirMessage: an error argument or result renders as
// its type and message, not as its fields (&url.Error{…} said nothing), even
// without SetFollowPointers; a nil pointer error, or one whose Error
// method panics, renders by reflection; a long message is cut.
func TestErrorsRenderAsTheirMessage(t *testing.T) {
	urlErr := &url.Error{Op: "Get", URL: "http://api.test/x", Err: io.EOF}
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"url.Error", urlErr, `*url.Error("Get \"http://api.test/x\": EOF")`},
		{"errors.New", errors.New("not found <b>"), `*errors.errorString("not found <b>")`},
		{"value receiver", panickyError{Code: 3}, `ddtrt_test.panickyError{Code: 3}`},
		{"nil pointer", (*nilReceiverError)(nil), `nil`},
		{"long", longError{}, `ddtrt_test.longError("` + strings.Repeat("x", event.MaxRenderString) + `"` + event.Truncated + ")"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := event.NewField("err", tc.v)
			if f.Value != tc.want {
				t.Errorf("NewField(%#v).Value = %q, want %q", tc.v, f.Value, tc.want)
			}
		})
	}
	// Through a marked function, as a result.
	rec := event.NewRecorder(0)
	ctx, unbind := event.Bind(t.Context(), "req", rec)
	_ = ctx
	noCtxErr(urlErr)
	unbind()
	if evs := rec.Events(); len(evs) != 1 || evs[0].Results[0].Value != `*url.Error("Get \"http://api.test/x\": EOF")` {
		t.Errorf("events %+v", evs)
	}
}

var siteNoCtxErr = ddtrt.Site{Kind: "trace", Func: "ddtrt_test.noCtxErr", Params: []string{"err"}, Results: []string{""}, Ctx: -1, Req: -1, NameArg: -1}

func noCtxErr(err error) (__ddt_r0 error) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteNoCtxErr, err)
		defer exit1(__ddt_c, &__ddt_r0)
	}
	return err
}
