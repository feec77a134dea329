package notecache

import (
	"encoding/binary"
	"errors"
	"math"
)

// Enc writes one entry's fields as bytes that Dec reads back in the same
// order: numbers as varints, and each string as the index of the
// entry's table of distinct strings, which Dec turns into one string for
// all of them. A note's fields repeat a few strings (its id, entity ids,
// topics) thousands of times; encoding/gob, which this replaced, made
// one string of each and spent most of a preview's start-up from the
// cache in reflection.
type Enc struct {
	body  []byte
	at    map[string]uint64
	table []string
	size  int
}

// NewEnc returns an empty Enc.
func NewEnc() *Enc { return &Enc{at: map[string]uint64{}} }

// Uint writes x.
func (e *Enc) Uint(x uint64) { e.body = binary.AppendUvarint(e.body, x) }

// Int writes x.
func (e *Enc) Int(x int) { e.body = binary.AppendVarint(e.body, int64(x)) }

// Len writes the length of a list that follows.
func (e *Enc) Len(n int) { e.Uint(uint64(n)) }

// Float writes f, whole: a cache must give back exactly what was made.
func (e *Enc) Float(f float64) {
	e.body = binary.LittleEndian.AppendUint64(e.body, math.Float64bits(f))
}

// Bool writes b.
func (e *Enc) Bool(b bool) {
	if b {
		e.body = append(e.body, 1)
	} else {
		e.body = append(e.body, 0)
	}
}

// String writes s.
func (e *Enc) String(s string) {
	i, ok := e.at[s]
	if !ok {
		i = uint64(len(e.table))
		e.at[s] = i
		e.table = append(e.table, s)
		e.size += len(s)
	}
	e.Uint(i)
}

// Strings writes a list of strings.
func (e *Enc) Strings(ss []string) {
	e.Len(len(ss))
	for _, s := range ss {
		e.String(s)
	}
}

// Ints writes a list of ints.
func (e *Enc) Ints(xs []int) {
	e.Len(len(xs))
	for _, x := range xs {
		e.Int(x)
	}
}

// Bytes writes b as it is, not in the table of strings.
func (e *Enc) Bytes(b []byte) {
	e.Len(len(b))
	e.body = append(e.body, b...)
}

// Finish returns the entry's bytes: the table of strings, then the
// fields.
func (e *Enc) Finish() []byte {
	out := make([]byte, 0, 2*binary.MaxVarintLen64*(len(e.table)+1)+e.size+len(e.body))
	out = binary.AppendUvarint(out, uint64(len(e.table)))
	for _, s := range e.table {
		out = binary.AppendUvarint(out, uint64(len(s)))
	}
	for _, s := range e.table {
		out = append(out, s...)
	}
	return append(out, e.body...)
}

// errEntry is the error of bytes that Enc did not write.
var errEntry = errors.New("not an encoded cache entry")

// Dec reads what an Enc wrote. A read past the end or of a string not
// in the table gives a zero value and makes Err say so, so that a caller
// reads all its fields and checks once. No length read makes room for
// more items than the bytes left could hold, and a List makes room for
// at most maxRoom items before it has read them, so that what broken
// bytes make the decoder allocate is a small multiple of their size (the
// size of an item over the byte it takes at least), never gigabytes
// asked for by one number.
type Dec struct {
	b    []byte
	strs []string
	bad  bool
}

// NewDec returns a Dec of data, whose table of strings it reads: the
// strings are parts of one copy of their bytes, so they do not keep data
// alive.
func NewDec(data []byte) *Dec {
	d := &Dec{b: data}
	n := d.Len()
	lens := make([]int, n)
	total := 0
	for i := range lens {
		lens[i] = d.Len()
		total += lens[i]
		if total > len(d.b) {
			d.bad = true
		}
		if d.bad {
			return d
		}
	}
	all := string(d.b[:total])
	d.b = d.b[total:]
	d.strs = make([]string, n)
	for i, l := range lens {
		d.strs[i], all = all[:l], all[l:]
	}
	return d
}

// Uint reads a Uint.
func (d *Dec) Uint() uint64 {
	x, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[k:]
	return x
}

// Int reads an Int.
func (d *Dec) Int() int {
	x, k := binary.Varint(d.b)
	if k <= 0 || int64(int(x)) != x {
		d.bad = true
		return 0
	}
	d.b = d.b[k:]
	return int(x)
}

// Len reads a Len: at most the bytes left, as each item of a list takes
// one byte at least.
func (d *Dec) Len() int {
	n := d.Uint()
	if n > uint64(len(d.b)) {
		d.bad = true
		return 0
	}
	return int(n)
}

// Float reads a Float.
func (d *Dec) Float() float64 {
	if len(d.b) < 8 {
		d.bad = true
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return f
}

// Bool reads a Bool.
func (d *Dec) Bool() bool {
	if len(d.b) == 0 || d.b[0] > 1 {
		d.bad = true
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}

// String reads a String.
func (d *Dec) String() string {
	i := d.Uint()
	if i >= uint64(len(d.strs)) {
		d.bad = true
		return ""
	}
	return d.strs[i]
}

// Strings reads a Strings list; nil when it is empty.
func (d *Dec) Strings() []string {
	n := d.Len()
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.String()
	}
	return ss
}

// Ints reads an Ints list; nil when it is empty.
func (d *Dec) Ints() []int {
	n := d.Len()
	if n == 0 {
		return nil
	}
	xs := make([]int, n)
	for i := range xs {
		xs[i] = d.Int()
	}
	return xs
}

// Bytes reads a Bytes, as a copy; nil when it is empty.
func (d *Dec) Bytes() []byte {
	n := d.Len()
	if n == 0 || d.bad {
		return nil
	}
	b := append([]byte(nil), d.b[:n]...)
	d.b = d.b[n:]
	return b
}

// List reads a list written as Len and then each item, which read
// reads; nil when it is empty.
func List[T any](d *Dec, read func(d *Dec) T) []T {
	n := d.Len()
	if n == 0 {
		return nil
	}
	xs := make([]T, 0, min(n, maxRoom))
	for range n {
		if d.bad {
			break
		}
		xs = append(xs, read(d))
	}
	return xs
}

// maxRoom is the most items a List makes room for before reading them:
// more than almost any note's list holds, so that those are made at
// their size.
const maxRoom = 1024

// Room returns a size hint for n items, such as a map's: n, up to
// maxRoom.
func Room(n int) int { return min(n, maxRoom) }

// PutList writes xs as List reads it.
func PutList[T any](e *Enc, xs []T, write func(e *Enc, x T)) {
	e.Len(len(xs))
	for _, x := range xs {
		write(e, x)
	}
}

// Err says whether the bytes read were all, and only, what an Enc wrote.
func (d *Dec) Err() error {
	if d.bad || len(d.b) != 0 {
		return errEntry
	}
	return nil
}
