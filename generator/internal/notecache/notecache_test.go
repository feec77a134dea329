package notecache

import (
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gen-site/gen/generator/internal/output"
)

type entry struct {
	Text  string
	Lines []int
}

func entries(n int) map[Key]*entry {
	out := map[Key]*entry{}
	for i := range n {
		out[sha256.Sum256(fmt.Append(nil, i))] = &entry{Text: strings.Repeat("x", i), Lines: []int{i, i + 1}}
	}
	return out
}

func encodeEntry(x *entry) []byte {
	e := NewEnc()
	e.String(x.Text)
	e.Ints(x.Lines)
	return e.Finish()
}

func decodeEntry(b []byte) (*entry, error) {
	d := NewDec(b)
	x := &entry{Text: d.String(), Lines: d.Ints()}
	return x, d.Err()
}

func same(a, b map[Key]*entry) bool {
	return maps.EqualFunc(a, b, func(x, y *entry) bool {
		return x.Text == y.Text && fmt.Sprint(x.Lines) == fmt.Sprint(y.Lines)
	})
}

// TestReadWrite writes caches of many sizes, so of one part and of many,
// and reads them back.
func TestReadWrite(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 63, 64, 1000} {
		path := filepath.Join(dir, "sub", fmt.Sprint(n))
		want := entries(n)
		if err := Write(context.Background(), path, "stamp", want, encodeEntry); err != nil {
			t.Fatal(err)
		}
		got, err := Read(path, "stamp", decodeEntry)
		if err != nil {
			t.Fatalf("%d entries: %v", n, err)
		}
		if !same(got, want) {
			t.Errorf("%d entries: read %d, not what was written", n, len(got))
		}
		if left := output.PartialFiles(path); len(left) > 0 {
			t.Errorf("%d entries: %v left", n, left)
		}
	}
}

// goodFile writes a cache file of 300 entries for "stamp" in dir and
// returns its bytes.
func goodFile(t *testing.T, dir string) []byte {
	t.Helper()
	path := filepath.Join(dir, "cache")
	if err := Write(context.Background(), path, "stamp", entries(300), encodeEntry); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return good
}

// TestReadBad reads files a cache must take for empty: none, one of
// another stamp, and broken ones, which are errors.
func TestReadBad(t *testing.T) {
	dir := t.TempDir()
	good := goodFile(t, dir)
	// A header whose sizes wrap around to the length of the rest.
	wrap := []byte(magic)
	for _, x := range []uint64{5} {
		wrap = binary.AppendUvarint(wrap, x)
	}
	wrap = append(wrap, "stamp"...)
	wrap = binary.AppendUvarint(wrap, 2)
	wrap = binary.AppendUvarint(wrap, math.MaxUint64)
	wrap = binary.AppendUvarint(wrap, 0)
	wrap = binary.AppendUvarint(wrap, 5) // 2⁶⁴-1 + 5 wraps to 4, the bytes after the header
	wrap = binary.AppendUvarint(wrap, 0)
	wrap = append(wrap, "abcd"...)
	huge := binary.AppendUvarint(append(binary.AppendUvarint([]byte(magic), 5), "stamp"...), 1<<40)

	tests := []struct {
		name  string
		data  []byte // nil: no file
		stamp string
		err   bool
	}{
		{"no file", nil, "stamp", false},
		{"another stamp", good, "stamp2", false},
		{"another stamp of the same length", good, "stamq", false},
		{"empty", []byte{}, "stamp", true},
		{"not a cache", []byte("hello\n"), "stamp", true},
		{"truncated header", good[:len(magic)+3], "stamp", true},
		{"truncated", good[:len(good)-1], "stamp", true},
		{"longer", append(append([]byte{}, good...), 0), "stamp", true},
		{"sizes that wrap", wrap, "stamp", true},
		{"more parts than bytes", huge, "stamp", true},
		{"a part broken", append(append([]byte{}, good[:len(good)-40]...), make([]byte, 40)...), "stamp", true},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
		if tt.data != nil {
			if err := os.WriteFile(p, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := Read(p, tt.stamp, decodeEntry)
		if (err != nil) != tt.err || len(got) != 0 {
			t.Errorf("%s: %d entries, error %v; want none, error %v", tt.name, len(got), err, tt.err)
		}
	}
}

// TestWriteStopped stops a write before it is done: no file, and no
// temporary file, is left.
func TestWriteStopped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Write(ctx, path, "stamp", entries(300), encodeEntry); err == nil {
		t.Fatal("a stopped write did not fail")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s written: %v", path, err)
	}
	if left := output.PartialFiles(path); len(left) > 0 {
		t.Errorf("%v left", left)
	}
}

// TestRemoveStale writes a cache beside an old temporary file of a write
// that never finished, which goes, and a new one, which another writer
// may be writing still.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache")
	old, young := filepath.Join(dir, ".cache.new-old"), filepath.Join(dir, ".cache.new-young")
	for _, p := range []string{old, young} {
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * staleAge)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}
	if err := Write(context.Background(), path, "stamp", entries(3), encodeEntry); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("%s is still there: %v", old, err)
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("%s went: %v", young, err)
	}
}

// TestSelf reads the test binary's own build ID.
func TestSelf(t *testing.T) {
	s := Self()
	if !strings.HasPrefix(s, "go build ID ") && !strings.HasPrefix(s, "sha256 ") {
		t.Errorf("Self() = %q", s)
	}
	if s != Self() {
		t.Error("Self differs between calls")
	}
}

func TestBuildID(t *testing.T) {
	tests := []struct {
		head, id string
		ok       bool
	}{
		{"\x7fELF....\xff Go build ID: \"abc/def\"\n \xff....", "abc/def", true},
		{"no id here", "", false},
		{"\xff Go build ID: \"unterminated", "", false},
		{"\xff Go build ID: \"\"\n \xff", "", false},
	}
	for _, tt := range tests {
		id, ok := buildID([]byte(tt.head))
		if id != tt.id || ok != tt.ok {
			t.Errorf("buildID(%q) = %q, %v; want %q, %v", tt.head, id, ok, tt.id, tt.ok)
		}
	}
}

// FuzzRead reads any bytes as a cache file: an error or entries, never a
// panic. The cache folder is the user's, and anything may be there.
func FuzzRead(f *testing.F) {
	path := filepath.Join(f.TempDir(), "seed")
	if err := Write(context.Background(), path, "stamp", entries(100), encodeEntry); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeFile(data, "stamp", "cache", decodeEntry)
		if err != nil && len(got) != 0 {
			t.Errorf("error %v with %d entries", err, len(got))
		}
	})
}

// TestSize tells a file of the stamp from every other by its first bytes.
func TestSize(t *testing.T) {
	dir := t.TempDir()
	good := goodFile(t, dir)
	tests := []struct {
		name  string
		data  []byte // nil: no file
		stamp string
		want  int64
	}{
		{"of the stamp", good, "stamp", int64(len(good))},
		{"no file", nil, "stamp", 0},
		{"another stamp", good, "stamp2", 0},
		{"another stamp of the same length", good, "stamq", 0},
		{"a shorter stamp", good, "stam", 0},
		{"empty", []byte{}, "stamp", 0},
		{"not a cache", []byte("hello\n"), "stamp", 0},
		{"truncated stamp", good[:len(magic)+3], "stamp", 0},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
		if tt.data != nil {
			if err := os.WriteFile(p, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if got := Size(p, tt.stamp); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestSelfELF reads the running test binary's build ID from its ELF note,
// as `go tool buildid` prints it, where the system's executables are ELF.
func TestSelfELF(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	f, err := os.Open(exe)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	if _, err := elf.NewFile(f); err != nil {
		t.Skipf("not an ELF executable: %v", err)
	}
	id, ok := elfBuildID(f)
	if !ok || id == "" {
		t.Fatalf("no build ID in the ELF note of %s", exe)
	}
	if s := Self(); s != "go build ID "+id {
		t.Errorf("Self() = %q, want the build ID %q", s, id)
	}
	out, err := exec.Command("go", "tool", "buildid", exe).Output()
	if err != nil {
		t.Skipf("go tool buildid: %v", err)
	}
	if want := strings.TrimSpace(string(out)); id != want {
		t.Errorf("build ID %q, go tool buildid says %q", id, want)
	}
	if _, ok := elfBuildID(strings.NewReader("not an executable")); ok {
		t.Error("a build ID in a file that is not ELF")
	}
}
