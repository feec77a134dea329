package layout

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestForceDeterministicAndInBox(t *testing.T) {
	var edges []Edge
	for i := 1; i < 60; i++ {
		edges = append(edges, Edge{A: i, B: (i * 7) % i, W: 1})
	}
	opts := Options{Width: 800, Height: 600, Margin: 20, Seed: 42}
	a := Force(80, edges, opts)
	b := Force(80, edges, opts)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("node %d: %v then %v: layout is not deterministic", i, a[i], b[i])
		}
		if a[i].X < 20-1e-9 || a[i].X > 780+1e-9 || a[i].Y < 20-1e-9 || a[i].Y > 580+1e-9 {
			t.Errorf("node %d at %v is outside the box", i, a[i])
		}
	}
}

func TestForceEdgesPullTogether(t *testing.T) {
	// Two triangles with no edge between them: nodes of a triangle end
	// closer to each other than to the other triangle.
	edges := []Edge{{0, 1, 1}, {1, 2, 1}, {2, 0, 1}, {3, 4, 1}, {4, 5, 1}, {5, 3, 1}}
	p := Force(6, edges, Options{Seed: 1})
	d := func(i, j int) float64 { return math.Hypot(p[i].X-p[j].X, p[i].Y-p[j].Y) }
	if d(0, 1) >= d(0, 3) || d(3, 4) >= d(3, 0) {
		t.Errorf("linked nodes are not closer than unlinked ones: %v", p)
	}
}

func TestSmallGraphs(t *testing.T) {
	if got := Force(0, nil, Options{}); len(got) != 0 {
		t.Errorf("Force(0) = %v", got)
	}
	if got := Force(1, nil, Options{Width: 100, Height: 50}); got[0] != (Point{50, 25}) {
		t.Errorf("Force(1) = %v, want the centre", got)
	}
	r := Ring(4, Point{0, 0}, 10)
	if r[0] != (Point{0, -10}) || r[2] != (Point{0, 10}) {
		t.Errorf("Ring(4) = %v", r)
	}
}

func TestForceLoneNodesInABand(t *testing.T) {
	edges := []Edge{{0, 1, 1}, {1, 2, 1}}
	p := Force(6, edges, Options{Width: 400, Height: 300, Margin: 10, Seed: 3})
	for _, i := range []int{3, 4, 5} {
		if p[i].Y < p[0].Y || p[i].Y < p[1].Y || p[i].Y < p[2].Y {
			t.Errorf("lone node %d at %v is not below the linked ones %v", i, p[i], p[:3])
		}
	}
	if p[3].Y != p[4].Y || p[4].X <= p[3].X {
		t.Errorf("lone nodes are not in a row: %v", p[3:])
	}
}

var update = flag.Bool("update", false, "write testdata/force.golden from the layouts made now")

// TestForceGolden keeps the layouts of a few graphs to the bit: a faster
// loop must place every node where the plain one did, or every built
// graph page changes.
func TestForceGolden(t *testing.T) {
	graphs := []struct {
		n     int
		edges []Edge
		opts  Options
	}{
		{2, []Edge{{0, 1, 1}}, Options{Seed: 1}},
		{6, []Edge{{0, 1, 1}, {1, 2, 1}, {2, 0, 1}, {3, 4, 2}, {4, 5, 1}, {5, 3, 1}}, Options{Seed: 1}},
		{80, nil, Options{Width: 800, Height: 600, Margin: 20, Seed: 42, Iterations: 50}},
		{300, nil, Options{Width: 1200, Height: 800, Margin: 60, Seed: 1, Iterations: 100}},
	}
	for i := 1; i < 80; i++ {
		graphs[2].edges = append(graphs[2].edges, Edge{A: i, B: (i * 7) % i, W: float64(i % 5)})
	}
	for i := 1; i < 280; i++ {
		graphs[3].edges = append(graphs[3].edges, Edge{A: i, B: (i * 13) % (i + 1) / 2, W: 1})
	}
	var b strings.Builder
	for _, g := range graphs {
		fmt.Fprintf(&b, "graph of %d nodes\n", g.n)
		for _, p := range Force(g.n, g.edges, g.opts) {
			fmt.Fprintf(&b, "%s %s\n", strconv.FormatFloat(p.X, 'g', -1, 64), strconv.FormatFloat(p.Y, 'g', -1, 64))
		}
	}
	golden := filepath.Join("testdata", "force.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d: %q, want %q (go test -update writes the layouts made now)", i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%d lines, want %d", len(gl), len(wl))
	}
}

func BenchmarkForce(b *testing.B) {
	var edges []Edge
	for i := 1; i < 250; i++ {
		edges = append(edges, Edge{A: i, B: (i * 13) % (i + 1) / 2, W: 1})
	}
	for b.Loop() {
		Force(260, edges, Options{Width: 1200, Height: 800, Margin: 60, Seed: 1})
	}
}
