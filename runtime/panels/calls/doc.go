// Package calls is the toolbar's Calls panel: every call of a function
// marked //ddt:trace, and of marked functions whose kind no other panel
// receives, with arguments, results, duration, panic and stack, and how
// each was attributed to the request (Via) on which goroutine. Its total,
// in the panel and in the Server-Timing header, is the time during which
// any call was running, so nested calls count once. It also shows the
// events that belonged to no request, each with the reason and its stack,
// so that nothing marked is ever silently lost.
package calls
