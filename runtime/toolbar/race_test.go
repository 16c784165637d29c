//go:build race

package toolbar_test

const raceEnabled = true
