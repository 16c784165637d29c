//go:build race

package integrations_test

func init() { raceEnabled = true }
