package serve

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcPercent reads the collector's target without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// TestStartCollector turns the collector off for a start from the note
// cache, and checks that it comes back: when the start is done, and at
// the first collection the limit forces, as a start that makes more than
// the cache promised reaches it; and that a user's GOGC is left alone.
func TestStartCollector(t *testing.T) {
	gc, limit := gcPercent(), debug.SetMemoryLimit(-1)
	if gc < 0 {
		t.Skip("GOGC=off")
	}
	defer func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}()

	for _, tt := range []struct {
		name     string
		cached   int64
		userGOGC bool
	}{
		{"no cache", 0, false},
		{"GOGC set", 1 << 20, true},
	} {
		restore := startCollector(tt.cached, tt.userGOGC)
		if got := gcPercent(); got != gc {
			t.Errorf("%s: GOGC %d, want %d", tt.name, got, gc)
		}
		restore()
	}

	restore := startCollector(1<<20, false)
	if got := gcPercent(); got != -1 {
		t.Fatalf("GOGC %d during the start, want off", got)
	}
	if got := debug.SetMemoryLimit(-1); got >= limit {
		t.Errorf("memory limit %d during the start, want less than %d", got, limit)
	}
	restore()
	if got, l := gcPercent(), debug.SetMemoryLimit(-1); got != gc || l != limit {
		t.Errorf("after the start: GOGC %d, limit %d; want %d, %d", got, l, gc, limit)
	}
	restore() // again: nothing changes
	if got := gcPercent(); got != gc {
		t.Errorf("a second restore: GOGC %d, want %d", got, gc)
	}

	// A collection while the start runs puts the collector back by itself.
	startCollector(1<<20, false)
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() == -1 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got, l := gcPercent(), debug.SetMemoryLimit(-1); got != gc || l != limit {
		t.Errorf("after a collection: GOGC %d, limit %d; want %d, %d", got, l, gc, limit)
	}
}
