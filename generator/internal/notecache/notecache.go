// Package notecache keeps what was made of each note between runs of a
// live preview, in one file: a preview started again reads its notes'
// cleaned text, facts and page data from it instead of making them again,
// which at 10,000 notes is most of a start-up's work.
//
// Entries are keyed by a hash of everything they were made from (the
// caller's business), and the file as a whole by a stamp that names the
// program that wrote it and the layout of its entries: a file of another
// build of the program is never read, as its entries may have been made
// by other rules.
//
// The file is written whole into a temporary file beside it and renamed
// into place, so that a reader sees the last complete file or none. A
// file that cannot be read, is truncated, or is of another stamp reads as
// empty: a cache only ever saves work.
package notecache

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/gen-site/gen/generator/internal/output"
	"github.com/gen-site/gen/generator/internal/par"
)

// Key identifies an entry: a hash of what it was made from.
type Key = [sha256.Size]byte

// magic starts every cache file; the number after it is the layout of
// the file itself, apart from that of its entries, which the stamp names.
const magic = "gen note cache 3\n"

// shards is how many parts the entries are written in, which cores
// decode apart from one another. More parts than cores keep the cores
// busy when parts differ in size.
func shards(n int) int {
	return max(1, min(4*runtime.GOMAXPROCS(0), n/64+1))
}

// Read returns the entries of the cache file at path, or an empty map
// when there is no such file or it is not one of stamp. An error says why
// a file that exists could not be read, for the caller to report; the map
// is then empty too.
//
// Each entry's value is what encode gave Write, read by decode (Enc and
// Dec write and read the fields of one).
func Read[T any](path, stamp string, decode func([]byte) (T, error)) (map[Key]T, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[Key]T{}, nil
	}
	if err != nil {
		return map[Key]T{}, err
	}
	return decodeFile(data, stamp, path, decode)
}

// Size returns the size of the cache file at path when it is one of
// stamp, as Read would decode it, and 0 when it is not (another stamp,
// not a cache file, or none): only its first bytes are read.
func Size(path, stamp string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0
	}
	head := make([]byte, len(magic)+binary.MaxVarintLen64+len(stamp))
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if !bytes.HasPrefix(head, []byte(magic)) {
		return 0
	}
	head = head[len(magic):]
	l, k := binary.Uvarint(head)
	if k <= 0 || l != uint64(len(stamp)) || string(head[k:min(len(head), k+len(stamp))]) != stamp {
		return 0
	}
	return fi.Size()
}

// decodeFile reads the bytes of a cache file at path as Read does.
func decodeFile[T any](data []byte, stamp, path string, decode func([]byte) (T, error)) (map[Key]T, error) {
	parts, err := split(data, stamp)
	if err != nil || parts == nil {
		return map[Key]T{}, err
	}
	type item struct {
		key Key
		val T
	}
	got := make([][]item, len(parts))
	errs := make([]error, len(parts))
	par.ForEach(len(parts), func(i int) {
		// A part is its number of entries, then each entry's key, length
		// and bytes.
		p := parts[i]
		n, k := binary.Uvarint(p)
		if k <= 0 || n > uint64(len(p))/(sha256.Size+1) {
			errs[i] = errBadPart
			return
		}
		p = p[k:]
		items := make([]item, n)
		for j := range items {
			if len(p) < sha256.Size {
				errs[i] = errBadPart
				return
			}
			copy(items[j].key[:], p)
			p = p[sha256.Size:]
			size, k := binary.Uvarint(p)
			if k <= 0 || size > uint64(len(p)-k) {
				errs[i] = errBadPart
				return
			}
			p = p[k:]
			v, err := decode(p[:size])
			if err != nil {
				errs[i] = err
				return
			}
			items[j].val = v
			p = p[size:]
		}
		if len(p) != 0 {
			errs[i] = errBadPart
			return
		}
		got[i] = items
	})
	n := 0
	for i, err := range errs {
		if err != nil {
			return map[Key]T{}, fmt.Errorf("%s: part %d: %w", path, i, err)
		}
		n += len(got[i])
	}
	out := make(map[Key]T, n)
	for _, part := range got {
		for _, it := range part {
			out[it.key] = it.val
		}
	}
	return out, nil
}

// errBadPart is the error of a part whose entries do not fill it.
var errBadPart = errors.New("broken entries")

// split checks the header of a cache file and returns its parts; nil
// parts and no error mean a file of another stamp.
//
// The header is magic, the stamp's length and bytes, the number of parts
// and each part's length and CRC-32C, every number a uvarint: a file
// changed after it was written (a disk error, a stray write) is found
// out, where entries changed in their bytes may read as other values.
func split(data []byte, stamp string) ([][]byte, error) {
	bad := errors.New("not a complete cache file")
	if !bytes.HasPrefix(data, []byte(magic)) {
		return nil, bad
	}
	r := bytes.NewReader(data[len(magic):])
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(r.Len()) {
		return nil, bad
	}
	s := make([]byte, n)
	_, _ = io.ReadFull(r, s)
	if string(s) != stamp {
		return nil, nil
	}
	// Each part takes two bytes of the header at least, and no size may
	// run past the file's end: a broken header must not make a slice of
	// it, or a sum that wraps.
	count, err := binary.ReadUvarint(r)
	if err != nil || count > uint64(r.Len()/2) {
		return nil, bad
	}
	sizes := make([]uint64, count)
	sums := make([]uint64, count)
	total := uint64(0)
	for i := range sizes {
		if sizes[i], err = binary.ReadUvarint(r); err != nil || sizes[i] > uint64(len(data)) {
			return nil, bad
		}
		if sums[i], err = binary.ReadUvarint(r); err != nil {
			return nil, bad
		}
		if total += sizes[i]; total > uint64(len(data)) {
			return nil, bad
		}
	}
	rest := data[len(data)-r.Len():]
	if total != uint64(len(rest)) {
		return nil, bad
	}
	// CRC-32C, which most processors compute in hardware: checking a file
	// of 300 MB costs tens of milliseconds.
	castagnoli := crc32.MakeTable(crc32.Castagnoli)
	parts := make([][]byte, count)
	for i, size := range sizes {
		parts[i], rest = rest[:size], rest[size:]
		if uint64(crc32.Checksum(parts[i], castagnoli)) != sums[i] {
			return nil, bad
		}
	}
	return parts, nil
}

// Write writes entries as the cache file at path, for stamp, making its
// folder if need be, each value as encode gives it. It encodes the parts one after the other, on one
// core, and stops with ctx's error between two: a preview writes its
// cache in the background, where it must leave a core to the rebuilds
// of edits, and give way to them.
func Write[T any](ctx context.Context, path, stamp string, entries map[Key]T, encode func(T) []byte) error {
	n := shards(len(entries))
	parts := make([][]Key, n)
	for k := range entries {
		// The first byte of a hash is as good a spread as any.
		i := int(k[0]) % n
		parts[i] = append(parts[i], k)
	}
	encoded := make([]bytes.Buffer, n)
	for i, keys := range parts {
		if err := ctx.Err(); err != nil {
			return err
		}
		w := &encoded[i]
		var num [binary.MaxVarintLen64]byte
		w.Write(num[:binary.PutUvarint(num[:], uint64(len(keys)))])
		for _, k := range keys {
			v := encode(entries[k])
			w.Write(k[:])
			w.Write(num[:binary.PutUvarint(num[:], uint64(len(v)))])
			w.Write(v)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	removeStale(path)
	return output.ReplaceFile(path, func(f io.Writer) error {
		w := bufio.NewWriter(f)
		var num [binary.MaxVarintLen64]byte
		uvarint := func(x int) { w.Write(num[:binary.PutUvarint(num[:], uint64(x))]) }
		w.WriteString(magic)
		uvarint(len(stamp))
		w.WriteString(stamp)
		uvarint(n)
		castagnoli := crc32.MakeTable(crc32.Castagnoli)
		for i := range encoded {
			uvarint(encoded[i].Len())
			uvarint(int(crc32.Checksum(encoded[i].Bytes(), castagnoli)))
		}
		for i := range encoded {
			w.Write(encoded[i].Bytes())
		}
		return w.Flush()
	})
}

// staleAge is how old a temporary file of Write must be to be taken for
// one left by a program stopped while it wrote: a write takes seconds.
const staleAge = time.Hour

// removeStale removes the temporary files of earlier writes of path that
// never finished, so that they do not pile up in the user's cache folder.
func removeStale(path string) {
	for _, p := range output.PartialFiles(path) {
		if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > staleAge {
			_ = os.Remove(p)
		}
	}
}

// Self returns a stamp of the running program: its Go build ID, which
// changes whenever anything it was built from does, or else a hash of its
// executable. It is "" when neither can be read, and a cache should then
// not be used.
func Self() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	// On Linux and the BSDs the linker writes the build ID as an ELF note;
	// elsewhere, near the start of the file. Hashing the whole executable
	// instead, 40 MB, took 28 ms of every start.
	if id, ok := elfBuildID(f); ok {
		return "go build ID " + id
	}
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	if id, ok := buildID(head[:n]); ok {
		return "go build ID " + id
	}
	h := sha256.New()
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return ""
	}
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return "sha256 " + hex.EncodeToString(h.Sum(nil))
}

// elfBuildID reads the Go build ID from the ELF note the linker writes
// into section .note.go.buildid, as `go tool buildid` does: a note named
// "Go" (with two NULs) of type 4, whose description is the ID.
func elfBuildID(r io.ReaderAt) (string, bool) {
	ef, err := elf.NewFile(r)
	if err != nil {
		return "", false
	}
	sec := ef.Section(".note.go.buildid")
	if sec == nil || sec.Size > 4096 {
		return "", false
	}
	note, err := sec.Data()
	if err != nil || len(note) < 16 {
		return "", false
	}
	order := ef.ByteOrder
	nameSize, descSize, kind := order.Uint32(note[0:]), order.Uint32(note[4:]), order.Uint32(note[8:])
	name := 12 + (uint64(nameSize)+3)&^3
	if kind != 4 || nameSize != 4 || string(note[12:16]) != "Go\x00\x00" ||
		descSize == 0 || uint64(len(note)) < name+uint64(descSize) {
		return "", false
	}
	return string(note[name : name+uint64(descSize)]), true
}

// buildID finds the Go build ID in the first bytes of an executable, as
// `go tool buildid` does: the linker writes it as
// "\xff Go build ID: \"…\"\n \xff".
func buildID(head []byte) (string, bool) {
	const prefix, suffix = "\xff Go build ID: \"", "\"\n \xff"
	i := bytes.Index(head, []byte(prefix))
	if i < 0 {
		return "", false
	}
	rest := head[i+len(prefix):]
	j := bytes.Index(rest, []byte(suffix))
	if j <= 0 || j > 1024 {
		return "", false
	}
	return string(rest[:j]), true
}
