// Package calls is the toolbar's Calls panel: every call of a function
// marked //ddt:trace, and of marked functions whose kind no other panel
// receives, with arguments, results, duration, panic and stack. It also
// shows the events that belonged to no request, so that nothing marked is
// ever silently lost.
package calls
