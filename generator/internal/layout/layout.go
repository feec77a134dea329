// Package layout places the nodes of a graph in the plane for a drawing
// made at build time. Force is a Fruchterman–Reingold layout with a pull
// towards the centre (so that components without edges do not drift off)
// and a seeded start, so the same graph always gives the same picture and
// a rebuild does not reshuffle a page that did not change.
package layout

import (
	"math"
	"math/rand/v2"
)

// Point is a position in the drawing.
type Point struct{ X, Y float64 }

// Edge joins nodes A and B (indexes); W > 1 pulls harder.
type Edge struct {
	A, B int
	W    float64
}

// Options controls Force.
type Options struct {
	Width, Height float64 // the box to fit into; 0 means 1000 × 700
	Margin        float64 // kept free on every side of the box
	Iterations    int     // 0 means 400
	Seed          uint64  // start positions; equal seeds give equal layouts
	Gravity       float64 // pull towards the centre, relative to attraction; 0 means 0.08
}

// Force places n nodes joined by edges and returns one point per node,
// inside the box of opts. Nodes without any edge are set in rows along the
// bottom of the box: left to the forces they would only push the rest
// into a knot in the middle. It runs in O(Iterations · (n² + len(edges))),
// which is a fraction of a second for a few hundred nodes.
func Force(n int, edges []Edge, opts Options) []Point {
	if opts.Width <= 0 || opts.Height <= 0 {
		opts.Width, opts.Height = 1000, 700
	}
	linked := make([]bool, n)
	for _, e := range edges {
		if e.A != e.B && e.A >= 0 && e.B >= 0 && e.A < n && e.B < n {
			linked[e.A], linked[e.B] = true, true
		}
	}
	var in, out []int // nodes with and without edges
	at := make([]int, n)
	for i := range n {
		if linked[i] {
			at[i] = len(in)
			in = append(in, i)
		} else {
			out = append(out, i)
		}
	}
	if len(out) == 0 || len(in) == 0 {
		return force(n, edges, opts)
	}
	// The band: rows 28 units apart, as many as the lone nodes need.
	const gap = 28.0
	perRow := max(1, int((opts.Width-2*opts.Margin)/gap))
	rows := (len(out) + perRow - 1) / perRow
	band := float64(rows)*gap + gap/2
	sub := make([]Edge, 0, len(edges))
	for _, e := range edges {
		if e.A != e.B && e.A >= 0 && e.B >= 0 && e.A < n && e.B < n {
			sub = append(sub, Edge{A: at[e.A], B: at[e.B], W: e.W})
		}
	}
	inner := opts
	inner.Height = opts.Height - band
	p := force(len(in), sub, inner)
	pts := make([]Point, n)
	for j, i := range in {
		pts[i] = p[j]
	}
	for j, i := range out {
		r, c := j/perRow, j%perRow
		pts[i] = Point{X: opts.Margin + gap/2 + float64(c)*gap, Y: opts.Height - band + gap/2 + float64(r)*gap}
	}
	return pts
}

func force(n int, edges []Edge, opts Options) []Point {
	if opts.Width <= 0 || opts.Height <= 0 {
		opts.Width, opts.Height = 1000, 700
	}
	if opts.Iterations <= 0 {
		opts.Iterations = 400
	}
	if opts.Gravity <= 0 {
		opts.Gravity = 0.08
	}
	pts := make([]Point, n)
	if n == 0 {
		return pts
	}
	if n == 1 {
		pts[0] = Point{opts.Width / 2, opts.Height / 2}
		return pts
	}
	// Work in a unit-area square and fit to the box at the end: the
	// constants then do not depend on the box.
	rng := rand.New(rand.NewPCG(opts.Seed, 0x9e3779b97f4a7c15))
	for i := range pts {
		pts[i] = Point{rng.Float64() - 0.5, rng.Float64() - 0.5}
	}
	k := math.Sqrt(1 / float64(n)) // ideal edge length
	disp := make([]Point, n)
	kk := k * k
	xs, ys, dxs, dys := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	temp := 0.1
	cool := temp / float64(opts.Iterations+1)
	for it := 0; it < opts.Iterations; it++ {
		// Repulsion between every pair: the loop of the layout's time.
		// Node i's push is summed in locals and the others' in slices of
		// their own, in the order of the plain loop, so the sums are the
		// same to the bit; it is twice as fast.
		for i := range pts {
			xs[i], ys[i] = pts[i].X, pts[i].Y
			dxs[i], dys[i] = 0, 0
		}
		for i := 0; i < n; i++ {
			xi, yi := xs[i], ys[i]
			ax, ay := dxs[i], dys[i]
			xj, yj := xs[i+1:n], ys[i+1:n]
			dxj, dyj := dxs[i+1:n], dys[i+1:n]
			for t := range xj {
				dx, dy := xi-xj[t], yi-yj[t]
				d2 := dx*dx + dy*dy
				if d2 < 1e-12 {
					// Two nodes on the same spot: push them apart along a
					// direction fixed by their indexes, not by chance.
					a := float64(i*31+(i+1+t)*17) * 0.61803
					dx, dy, d2 = math.Cos(a)*1e-4, math.Sin(a)*1e-4, 1e-8
				}
				f := kk / d2
				ax += dx * f
				ay += dy * f
				dxj[t] -= dx * f
				dyj[t] -= dy * f
			}
			dxs[i], dys[i] = ax, ay
		}
		for i := range disp {
			disp[i] = Point{dxs[i], dys[i]}
		}
		// Attraction along edges.
		for _, e := range edges {
			if e.A == e.B || e.A < 0 || e.B < 0 || e.A >= n || e.B >= n {
				continue
			}
			w := e.W
			if w <= 0 {
				w = 1
			}
			w = 1 + math.Log(w)
			dx, dy := pts[e.A].X-pts[e.B].X, pts[e.A].Y-pts[e.B].Y
			d := math.Sqrt(dx*dx + dy*dy)
			f := d * w / k
			disp[e.A].X -= dx * f
			disp[e.A].Y -= dy * f
			disp[e.B].X += dx * f
			disp[e.B].Y += dy * f
		}
		// Gravity, then move each node at most temp.
		for i := range pts {
			disp[i].X -= pts[i].X * opts.Gravity / k
			disp[i].Y -= pts[i].Y * opts.Gravity / k
			d := math.Hypot(disp[i].X, disp[i].Y)
			if d > 0 {
				step := math.Min(d, temp)
				pts[i].X += disp[i].X / d * step
				pts[i].Y += disp[i].Y / d * step
			}
		}
		temp -= cool
	}
	fit(pts, opts)
	return pts
}

// fit scales and moves pts into the box, keeping the aspect ratio of the
// box rather than of the cloud so that a wide screen is used.
func fit(pts []Point, opts Options) {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	w, h := opts.Width-2*opts.Margin, opts.Height-2*opts.Margin
	sx, sy := 1.0, 1.0
	if maxX > minX {
		sx = w / (maxX - minX)
	}
	if maxY > minY {
		sy = h / (maxY - minY)
	}
	for i, p := range pts {
		x, y := opts.Width/2, opts.Height/2
		if maxX > minX {
			x = opts.Margin + (p.X-minX)*sx
		}
		if maxY > minY {
			y = opts.Margin + (p.Y-minY)*sy
		}
		pts[i] = Point{math.Round(x*10) / 10, math.Round(y*10) / 10}
	}
}

// Ring places n nodes evenly on a circle of radius r around c, the first
// at the top; it is the layout of a node's neighbourhood.
func Ring(n int, c Point, r float64) []Point {
	pts := make([]Point, n)
	for i := range pts {
		a := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
		pts[i] = Point{math.Round((c.X+r*math.Cos(a))*10) / 10, math.Round((c.Y+r*math.Sin(a))*10) / 10}
	}
	return pts
}
