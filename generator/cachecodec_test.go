package generator

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/gen-site/gen/generator/internal/graph"
)

// fill sets every exported field reachable from v to a value that is not
// its zero, as a field added to an entry's types would be set, and
// leaves unexported ones (which the cache does not keep as they are) at
// zero.
func fill(r *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		// From a few values, so that the table of strings repeats some.
		v.SetString([]string{"a", "kinesis-data-streams", "é n", "x\x00y"}[r.IntN(4)])
	case reflect.Int, reflect.Int64:
		v.SetInt(r.Int64N(2000) - 1000 | 1)
	case reflect.Uint8:
		v.SetUint(uint64(r.IntN(255) + 1))
	case reflect.Float64:
		v.SetFloat(r.Float64() + 0.5)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(r, v.Elem())
	case reflect.Slice:
		n := 1 + r.IntN(3)
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fill(r, v.Index(i))
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(r, v.Index(i))
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for range 1 + r.IntN(3) {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(r, k)
			fill(r, e)
			v.SetMapIndex(k, e)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(r, v.Field(i))
			}
		}
	default:
		panic("fill: no rule for " + v.Type().String())
	}
}

// TestCacheCodec fills every field of a cache entry and of an entity's
// merge, and reads back what their encoders wrote: a field the codec
// forgets fails it.
func TestCacheCodec(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		var c cacheEntry
		fill(r, reflect.ValueOf(&c).Elem())
		got, err := decodeEntry(encodeEntry(&c))
		if err != nil || !reflect.DeepEqual(got, &c) {
			t.Fatalf("entry read back as\n%+v, %v; want\n%+v", got, err, &c)
		}
		var m graph.EntityMerge
		fill(r, reflect.ValueOf(&m).Elem())
		gotM, err := decodeMerge(encodeMerge(&m))
		if err != nil || !reflect.DeepEqual(gotM, &m) {
			t.Fatalf("merge read back as\n%+v, %v; want\n%+v", gotM, err, &m)
		}
	}
	// An entry with nothing in it, as one of an empty note.
	if got, err := decodeEntry(encodeEntry(&cacheEntry{})); err != nil || !reflect.DeepEqual(got, &cacheEntry{}) {
		t.Errorf("empty entry read back as %+v, %v", got, err)
	}
	// The same entry, the same bytes, whatever the maps' order.
	var c cacheEntry
	fill(r, reflect.ValueOf(&c).Elem())
	first := string(encodeEntry(&c))
	for range 20 {
		if string(encodeEntry(&c)) != first {
			t.Fatal("one entry encoded to different bytes")
		}
	}
}

// FuzzDecodeEntry reads any bytes as a note's cache entry and an
// entity's merge: an error, or values that encode and read back the
// same (compared as their encodings: a NaN is not DeepEqual to itself);
// never a panic. The cache folder is the user's.
func FuzzDecodeEntry(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	var c cacheEntry
	fill(r, reflect.ValueOf(&c).Elem())
	f.Add(encodeEntry(&c))
	var m graph.EntityMerge
	fill(r, reflect.ValueOf(&m).Elem())
	f.Add(encodeMerge(&m))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if c, err := decodeEntry(b); err == nil {
			enc := encodeEntry(c)
			if again, err := decodeEntry(enc); err != nil || !bytes.Equal(encodeEntry(again), enc) {
				t.Errorf("entry %+v read again as %+v, %v", c, again, err)
			}
		}
		if m, err := decodeMerge(b); err == nil {
			enc := encodeMerge(m)
			if again, err := decodeMerge(enc); err != nil || !bytes.Equal(encodeMerge(again), enc) {
				t.Errorf("merge %+v read again as %+v, %v", m, again, err)
			}
		}
	})
}
