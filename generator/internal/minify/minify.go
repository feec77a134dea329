// Package minify shrinks the JavaScript and CSS assets of a site with
// esbuild: the search box's scripts are the fixed part of every first
// query's download, and every page loads the stylesheets.
package minify

import (
	"fmt"
	"path"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Target is the oldest syntax the output may use: esbuild never rewrites
// code into syntax newer than this (such as ?? for a != null ? a : b).
const Target = api.ES2015

// Applies says whether Asset minifies a file of this name.
func Applies(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".js", ".css":
		return true
	}
	return false
}

// Error is a syntax error in an asset.
type Error struct {
	Name         string
	Line, Column int // 1-based; 0 when unknown
	Msg          string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Name + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Column, e.Msg)
}

// Asset returns the minified form of the JavaScript or CSS file name, or
// data itself for any other kind of file. A syntax error is an *Error.
func Asset(name string, data []byte) ([]byte, error) {
	var loader api.Loader
	switch strings.ToLower(path.Ext(name)) {
	case ".js":
		loader = api.LoaderJS
	case ".css":
		loader = api.LoaderCSS
	default:
		return data, nil
	}
	res := api.Transform(string(data), api.TransformOptions{
		Loader:            loader,
		Target:            Target,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		// Comments such as licences that ask to be kept stay.
		LegalComments: api.LegalCommentsInline,
		Sourcefile:    name,
		LogLevel:      api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		e := res.Errors[0]
		err := &Error{Name: name, Msg: e.Text}
		if e.Location != nil {
			err.Line, err.Column = e.Location.Line, e.Location.Column+1
		}
		return nil, err
	}
	return res.Code, nil
}
