// Package overlay layers one file system over another, file by file: a site
// folder's templates/ and assets/ override the embedded defaults one file at
// a time, and the files they do not hold come from below.
package overlay

import (
	"errors"
	"io/fs"
	"slices"
)

// FS is an fs.FS in which Upper's files hide Lower's files of the same name.
type FS struct {
	Upper, Lower fs.FS
}

// New returns the overlay of upper on lower; a nil upper gives lower.
func New(upper, lower fs.FS) fs.FS {
	if upper == nil {
		return lower
	}
	return FS{Upper: upper, Lower: lower}
}

// Open opens name from Upper if it is there, else from Lower.
func (o FS) Open(name string) (fs.File, error) {
	f, err := o.Upper.Open(name)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return o.Lower.Open(name)
}

// ReadDir merges the entries of both layers, Upper's first.
func (o FS) ReadDir(name string) ([]fs.DirEntry, error) {
	up, errU := fs.ReadDir(o.Upper, name)
	low, errL := fs.ReadDir(o.Lower, name)
	if errU != nil && errL != nil {
		return nil, errL
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, e := range up {
		seen[e.Name()] = true
		out = append(out, e)
	}
	for _, e := range low {
		if !seen[e.Name()] {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int {
		switch {
		case a.Name() < b.Name():
			return -1
		case a.Name() > b.Name():
			return 1
		}
		return 0
	})
	return out, nil
}
