//go:build !linux

package output

import "errors"

func exchange(a, b string) error {
	return errors.ErrUnsupported
}
