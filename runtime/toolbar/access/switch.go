package access

import (
	"os"
	"strings"
)

// Switch is an explicit decision, in code, to turn the toolbar on or off.
type Switch int8

const (
	// Auto leaves the decision to the build and the environment: on when
	// built by ddt or DDT_ENABLE=1, off otherwise or with DDT_DISABLE=1.
	Auto Switch = iota
	// On turns the toolbar on in any build, unless DDT_DISABLE=1.
	On
	// Off turns the toolbar off, whatever the build or environment say.
	Off
)

// The environment variables that turn the toolbar on and off.
const (
	EnableEnv  = "DDT_ENABLE"
	DisableEnv = "DDT_DISABLE"
)

// builtByDDT is set by a file that ddt build, run and test add to this
// package with their overlay (see internal/cli), and that no other build
// has.
var builtByDDT bool

// BuiltByDDT reports whether the program was built by ddt build, run or
// test (or with the overlay of ddt instrument).
func BuiltByDDT() bool { return builtByDDT }

// Enabled reports whether the toolbar is on, given the explicit switch s.
// Off wins: DDT_DISABLE=1, DDT_ENABLE=0 or s == Off turn it off, whatever
// else says. Otherwise s == On, DDT_ENABLE=1 or a build by ddt turn it on.
// With none of these it is off: a plain go build of a program that has
// the toolbar in its code serves the program alone.
func Enabled(s Switch) bool {
	enable, disable := envSwitch(EnableEnv), envSwitch(DisableEnv)
	// An unreadable DDT_DISABLE (DDT_DISABLE=please) counts as set: when
	// in doubt, off. DDT_DISABLE=0 says nothing.
	if s == Off || disable == yes || disable == unreadable || enable == no {
		return false
	}
	return s == On || enable == yes || builtByDDT
}

type envValue int8

const (
	unset envValue = iota
	yes
	no
	unreadable
)

// envSwitch reads a boolean environment variable: 1, true, yes, on or
// their opposites, in any case.
func envSwitch(name string) envValue {
	v := strings.ToLower(strings.TrimSpace(os.Getenv(name)))
	switch v {
	case "":
		return unset
	case "1", "t", "true", "y", "yes", "on":
		return yes
	case "0", "f", "false", "n", "no", "off":
		return no
	}
	return unreadable
}
