// Package output is the only stage that writes: it turns the files a build
// made in memory into a folder on disk, swapped in whole so that a reader
// never sees half a site and a failed write never harms the previous one.
package output

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// File is one output file.
type File struct {
	Path string // slash-separated, relative to the output folder
	Data []byte
}

// Marker is the file gen leaves in every output folder it writes, so that
// a later build knows the folder is its own to replace.
const Marker = ".gen-output"

const markerText = "This folder is written by gen build; it is replaced whole on each build.\n"

// CheckTarget refuses output folders that a build must never replace: the
// file system root, the user's home, the content folder or a folder that
// holds it, and a non-empty folder that gen did not write (unless force).
func CheckTarget(out, content string, force bool) error {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	absOut = filepath.Clean(absOut)
	if absOut == filepath.VolumeName(absOut)+string(filepath.Separator) {
		return fmt.Errorf("refusing to write the site to %s: it is the root of the file system", out)
	}
	if home, err := os.UserHomeDir(); err == nil && sameDir(absOut, home) {
		return fmt.Errorf("refusing to write the site to %s: it is your home folder", out)
	}
	if content != "" {
		absContent, err := filepath.Abs(content)
		if err == nil {
			if sameDir(absOut, absContent) {
				return fmt.Errorf("refusing to write the site to %s: it is the content folder", out)
			}
			if within(absContent, absOut) {
				return fmt.Errorf("refusing to write the site to %s: it holds the content folder %s", out, content)
			}
			if within(absOut, absContent) {
				return fmt.Errorf("refusing to write the site to %s: it is inside the content folder %s", out, content)
			}
		}
	}
	if force {
		return nil
	}
	fi, err := os.Stat(absOut)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("refusing to write the site to %s: it is a file (use --force to replace it)", out)
	}
	entries, err := os.ReadDir(absOut)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(absOut, Marker)); err == nil {
		return nil
	}
	return fmt.Errorf("refusing to write the site to %s: it is a non-empty folder that gen did not write (use --force to replace it)", out)
}

func sameDir(a, b string) bool {
	if a == b {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// within reports whether child is inside parent (both absolute and clean).
// A folder named "..x" is inside; only a ".." element leads out.
func within(child, parent string) bool {
	rel, err := filepath.Rel(parent, child)
	return err == nil && rel != "." && rel != ".." &&
		!strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Write writes files into a new folder beside out and then swaps it in for
// out. If anything fails before the swap, out is left exactly as it was and
// the new folder is removed.
//
// A file whose bytes are those of the same path in the previous output
// (a folder with gen's Marker) is a hard link to that file instead of a
// new one: the previous output is never written to, and a rebuild that
// changed a few pages makes a few files. Making a file is what writing a
// site costs most: on an ext4 disk without a journal, a new file's inode
// is found by stepping over every inode freed in the last minute, so the
// 31,000 files of a 10,000-note site took 1-15 s to make, depending on
// how many had just been deleted.
func Write(out string, files []File) (err error) {
	absOut, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	parent := filepath.Dir(absOut)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(parent, "."+filepath.Base(absOut)+".new-"+randSuffix())
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	prev := ""
	if _, err := os.Stat(filepath.Join(absOut, Marker)); err == nil {
		prev = absOut
	}
	if err := writeTree(tmp, prev, files); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte(markerText), 0o644); err != nil {
		return err
	}
	return swap(tmp, absOut)
}

// writeTree writes files under dir, making each folder once, linking
// those that are unchanged from the folder prev when it is not "".
func writeTree(dir, prev string, files []File) error {
	made := map[string]bool{".": true}
	var dirs []string
	for _, f := range files {
		if !fs.ValidPath(f.Path) || f.Path == "." {
			return fmt.Errorf("invalid output path %q", f.Path)
		}
		for d := path.Dir(f.Path); !made[d]; d = path.Dir(d) {
			made[d] = true
			dirs = append(dirs, d)
		}
	}
	slices.Sort(dirs) // parents sort before their children
	for _, d := range dirs {
		if err := os.Mkdir(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return writeFiles(dir, prev, files)
}

// writers is how many files are written at once. Creating a file costs
// far more than filling it, and most of that cost is waiting on the file
// system, which overlaps across files: at 30,000 files eight writers take
// half the time of one, even on two cores.
const writers = 8

// writeFiles writes files under dir, whose folders exist, and returns the
// first error. Files unchanged from prev (if not "") are linked.
func writeFiles(dir, prev string, files []File) error {
	var (
		wg    sync.WaitGroup
		next  atomic.Int64
		mu    sync.Mutex
		first error
	)
	for range min(writers, len(files)) {
		wg.Go(func() {
			var buf []byte
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) {
					return
				}
				f := files[i]
				name := filepath.Join(dir, filepath.FromSlash(f.Path))
				if prev != "" && linkSame(filepath.Join(prev, filepath.FromSlash(f.Path)), name, f.Data, &buf) {
					continue
				}
				if err := os.WriteFile(name, f.Data, 0o644); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					next.Store(int64(len(files))) // stop the others
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// linkSame makes name a hard link to old when old is a regular file that
// holds exactly data, read into *buf, and reports whether it did. Any
// failure (no such file, other bytes, a file system without links) only
// means that the file is written anew.
func linkSame(old, name string, data []byte, buf *[]byte) bool {
	f, err := os.Open(old)
	if err != nil {
		return false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	// One byte more than expected tells a file that grew since Stat.
	if cap(*buf) < len(data)+1 {
		*buf = make([]byte, len(data)+1)
	}
	b := (*buf)[:len(data)+1]
	n, err := io.ReadFull(f, b)
	if n != len(data) || err != io.ErrUnexpectedEOF && err != io.EOF || !bytes.Equal(b[:n], data) {
		return false
	}
	return os.Link(old, name) == nil
}

// swap puts the folder tmp in place of out. Where the system can exchange
// two names atomically it does; otherwise it moves out aside, moves tmp in,
// and restores out if the second move fails.
func swap(tmp, out string) error {
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, out)
	}
	if exchange(tmp, out) == nil {
		return os.RemoveAll(tmp) // tmp now holds the previous output
	}
	return swapByRename(tmp, out)
}

// swapByRename puts tmp in place of out with two renames, for systems
// without an atomic exchange.
func swapByRename(tmp, out string) error {
	old := filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".old-"+randSuffix())
	if err := os.Rename(out, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		if rerr := os.Rename(old, out); rerr != nil {
			return fmt.Errorf("%v (and the previous output could not be put back from %s: %v)", err, old, rerr)
		}
		return err
	}
	return os.RemoveAll(old)
}

func randSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Zip writes files as a zip archive into a new file beside path and
// renames it into place, so that a failed bundle never leaves half an
// archive where the previous one was. Entries are stored in the order
// given, all under the folder top (if not empty).
func Zip(path, top string, files []File) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	return ReplaceFile(abs, func(f io.Writer) error {
		zw := zip.NewWriter(f)
		for _, file := range files {
			name := file.Path
			if top != "" {
				name = top + "/" + name
			}
			w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
			if err != nil {
				return err
			}
			if _, err := w.Write(file.Data); err != nil {
				return err
			}
		}
		return zw.Close()
	})
}

// ReplaceFile writes the file at path with write, into a new file beside
// it that is renamed into place only when write and the file's closing
// succeed: a reader sees the previous file or the new one, whole. A
// failure removes the new file; one the program could not remove, as it
// was stopped, is among PartialFiles.
func ReplaceFile(path string, write func(io.Writer) error) (err error) {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".new-"+randSuffix())
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// PartialFiles returns the new files of ReplaceFile(path, …) left beside
// path, by writes that never finished or one still under way.
func PartialFiles(path string) []string {
	out, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".new-*"))
	return out
}

// zipTime is the modification time of every entry: a fixed time makes a
// bundle of the same site byte-identical from build to build.
var zipTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
