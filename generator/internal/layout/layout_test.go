package layout

import (
	"math"
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
