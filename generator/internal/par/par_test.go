package par

import (
	"sync/atomic"
	"testing"
)

func TestForEach(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		calls := make([]int32, n)
		var total atomic.Int32
		ForEach(n, func(i int) {
			atomic.AddInt32(&calls[i], 1)
			total.Add(1)
		})
		if int(total.Load()) != n {
			t.Errorf("n=%d: %d calls", n, total.Load())
		}
		for i, c := range calls {
			if c != 1 {
				t.Errorf("n=%d: fn(%d) ran %d times", n, i, c)
			}
		}
	}
}

// TestRuns checks that the runs cover 0..n in order, each index once, with
// no empty run.
func TestRuns(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		next := 0
		for _, r := range Runs(n) {
			if r[0] != next || r[1] <= r[0] {
				t.Errorf("n=%d: run %v after %d", n, r, next)
			}
			next = r[1]
		}
		if next != n {
			t.Errorf("n=%d: the runs end at %d", n, next)
		}
	}
}
