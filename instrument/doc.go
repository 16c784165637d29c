// Package instrument turns //ddt: directives into instrumented Go source.
//
// [Run] loads packages, finds the functions marked with a directive such as
// //ddt:flag or //ddt:trace, and returns the files rewritten in the
// requested [Mode], or the diagnostics that explain why it cannot. It writes
// nothing: the ddt command decides where the files go.
package instrument
