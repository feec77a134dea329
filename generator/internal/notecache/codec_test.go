package notecache

import (
	"bytes"
	"math"
	"runtime"
	"slices"
	"testing"
)

// fields is one of every kind of field an Enc writes.
type fields struct {
	u     uint64
	i     int
	f     float64
	b     bool
	s     string
	ss    []string
	is    []int
	bytes []byte
	list  []string // written with PutList, each twice
}

func (x fields) encode() []byte {
	e := NewEnc()
	e.Uint(x.u)
	e.Int(x.i)
	e.Float(x.f)
	e.Bool(x.b)
	e.String(x.s)
	e.Strings(x.ss)
	e.Ints(x.is)
	e.Bytes(x.bytes)
	PutList(e, x.list, func(e *Enc, s string) { e.String(s); e.String(s) })
	return e.Finish()
}

func decodeFields(b []byte) (fields, error) {
	d := NewDec(b)
	x := fields{u: d.Uint(), i: d.Int(), f: d.Float(), b: d.Bool(), s: d.String(), ss: d.Strings(), is: d.Ints(), bytes: d.Bytes()}
	x.list = List(d, func(d *Dec) string {
		s := d.String()
		if d.String() != s {
			d.bad = true
		}
		return s
	})
	return x, d.Err()
}

func (x fields) equal(y fields) bool {
	return x.u == y.u && x.i == y.i && math.Float64bits(x.f) == math.Float64bits(y.f) && x.b == y.b && x.s == y.s &&
		slices.Equal(x.ss, y.ss) && slices.Equal(x.is, y.is) && bytes.Equal(x.bytes, y.bytes) && slices.Equal(x.list, y.list)
}

func TestCodec(t *testing.T) {
	tests := []fields{
		{},
		{u: math.MaxUint64, i: math.MinInt64, f: math.Inf(-1), b: true, s: "é\x00", ss: []string{"", "a", "a"},
			is: []int{-1, 0, math.MaxInt64}, bytes: []byte{0, 1, 2}, list: []string{"a", "b", "a"}},
		{f: math.NaN(), s: "shared", ss: []string{"shared"}, list: []string{"shared"}},
	}
	for _, want := range tests {
		b := want.encode()
		got, err := decodeFields(b)
		if err != nil || !got.equal(want) {
			t.Errorf("decode(encode(%+v)) = %+v, %v", want, got, err)
		}
		// Every cut short, and a byte too many, is an error, never a
		// panic or another value taken for this one.
		for n := range len(b) {
			if _, err := decodeFields(b[:n]); err == nil {
				t.Errorf("%+v cut to %d of %d bytes: no error", want, n, len(b))
			}
		}
		if _, err := decodeFields(append(b, 0)); err == nil {
			t.Errorf("%+v with a byte after: no error", want)
		}
	}
	// A string is kept once however often it is written.
	one := fields{s: "a long string that repeats"}.encode()
	many := fields{s: "a long string that repeats", ss: []string{"a long string that repeats", "a long string that repeats"}}.encode()
	if len(many)-len(one) > 3 {
		t.Errorf("a string written three times takes %d bytes more than once", len(many)-len(one))
	}
}

// FuzzDec reads any bytes as an entry: an error or fields that encode
// back to the same bytes' values, never a panic or a huge allocation.
func FuzzDec(f *testing.F) {
	f.Add(fields{}.encode())
	f.Add(fields{u: 7, s: "x", ss: []string{"y", "x"}, is: []int{3}, bytes: []byte("z"), list: []string{"x"}}.encode())
	f.Add([]byte{255, 255, 255, 255, 255, 255, 255, 255, 255, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := decodeFields(b)
		if err != nil {
			return
		}
		y, err := decodeFields(x.encode())
		if err != nil || !y.equal(x) {
			t.Errorf("%q read as %+v, which reads back as %+v, %v", b, x, y, err)
		}
	})
}

// TestListBounded reads a list that says it holds as many items as it
// has bytes left, whose first item is broken: List must fail without
// making room for them all (a million items of 256 bytes).
func TestListBounded(t *testing.T) {
	e := NewEnc()
	e.Len(1 << 20)
	b := append(e.Finish(), make([]byte, 1<<20)...)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d := NewDec(b)
	List(d, func(d *Dec) [32]int64 { return [32]int64{int64(len(d.String()))} }) // no strings in the table
	runtime.ReadMemStats(&after)
	if d.Err() == nil {
		t.Fatal("no error")
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("reading %d bytes allocated %d", len(b), got)
	}
}
