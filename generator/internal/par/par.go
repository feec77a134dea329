// Package par runs the independent steps of a stage on every core.
package par

import (
	"runtime"
	"sync"
)

// ForEach runs fn(0) … fn(n-1) on GOMAXPROCS goroutines and returns when
// all have returned. The calls may run in any order, so fn must write only
// what belongs to its index: callers keep results in a slice indexed by i
// and put them in order afterwards, so that output never depends on
// scheduling.
func ForEach(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				fn(i)
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
}

// Runs splits 0..n into consecutive runs [lo, hi), four for each core (or
// n, when fewer), for steps too small to hand to ForEach one by one: each
// run is then one step, and keeping the runs in order keeps the steps'.
func Runs(n int) [][2]int {
	k := min(n, 4*runtime.GOMAXPROCS(0))
	runs := make([][2]int, k)
	for r := range runs {
		runs[r] = [2]int{r * n / k, (r + 1) * n / k}
	}
	return runs
}
