package event_test

import (
	"reflect"
	"testing"

	"github.com/go-ddt/ddt/runtime/event"
)

// TestNewAfterRelease: an Event handed back with Release comes out of New
// empty, whatever it held.
func TestNewAfterRelease(t *testing.T) {
	for range 100 {
		e := event.New()
		if !reflect.DeepEqual(*e, event.Event{}) {
			t.Fatalf("New returned %+v, want an empty Event", *e)
		}
		*e = event.Event{Kind: "sql", Name: "SELECT 1", Args: []event.Field{{Name: "id", Value: "1"}}, Stack: []uintptr{1}, Override: "true"}
		event.Release(e)
	}
}
