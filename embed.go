// Package gen holds the files that every gen binary carries: the default
// templates and assets. A site folder may override any of them file by file.
//
// The generator itself lives in package [github.com/gen-site/gen/generator];
// the command is cmd/gen.
package gen

import (
	"embed"
	"io/fs"
)

//go:embed templates
var templates embed.FS

//go:embed assets
var assets embed.FS

// Templates returns the embedded templates folder.
func Templates() fs.FS { return sub(templates, "templates") }

// Assets returns the embedded assets folder.
func Assets() fs.FS { return sub(assets, "assets") }

func sub(f embed.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // cannot happen: dir is embedded above
	}
	return s
}
