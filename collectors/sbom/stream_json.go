package sbom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// jsonStream reads a CycloneDX or SPDX JSON document with encoding/json's
// token API: the top-level object key by key, and the big arrays
// (components, dependencies, packages, relationships) one element at a
// time, so that no more than one element is held as JSON. Keys are read
// in any order; the format is known by bomFormat or spdxVersion, wherever
// it stands.
type jsonStream struct {
	name   string
	dec    *json.Decoder
	lr     *lineReader
	base   int64 // stream offset of the decoder's first byte
	b      *builder
	format string
	// before is the decoder's offset before the value being decoded.
	before   int64
	decoding bool
}

func streamJSON(name string, r *bufio.Reader, lr *lineReader, base int64) (*Doc, string, error) {
	s := &jsonStream{name: name, dec: json.NewDecoder(r), lr: lr, base: base, b: newBuilder()}
	cdxSeen, spdxSeen := false, false
	if err := s.delim('{'); err != nil {
		return nil, "", s.fail(err)
	}
	for s.dec.More() {
		t, err := s.dec.Token()
		if err != nil {
			return nil, "", s.fail(err)
		}
		key, _ := t.(string)
		switch key {
		case "bomFormat":
			cdxSeen = true
			s.format = CycloneDXJSON
			err = s.skip()
		case "spdxVersion":
			spdxSeen = true
			if !cdxSeen {
				s.format = SPDXJSON
			}
			err = s.skip()
		case "metadata":
			var m struct {
				Component *cdxComp `json:"component"`
			}
			if err = s.decode(&m); err == nil && m.Component != nil {
				s.b.addCDXRoot(m.Component)
			}
		case "components":
			err = s.each(func() error {
				var c cdxComp
				if err := s.decode(&c); err != nil {
					return err
				}
				s.b.addCDX(&c, false, false)
				return nil
			})
		case "dependencies":
			err = s.each(func() error {
				var d cdxDep
				if err := s.decode(&d); err != nil {
					return err
				}
				s.b.addCDXDep(&d)
				return nil
			})
		case "packages":
			err = s.each(func() error {
				var p spdxPkg
				if err := s.decode(&p); err != nil {
					return err
				}
				s.b.addSPDXPackage(&p)
				return nil
			})
		case "relationships":
			err = s.each(func() error {
				var r spdxRel
				if err := s.decode(&r); err != nil {
					return err
				}
				s.b.addSPDXRelationship(r.A, r.Type, r.B)
				return nil
			})
		case "documentDescribes":
			var ids []string
			if err = s.decode(&ids); err == nil {
				for _, id := range ids {
					s.b.addSPDXRelationship("SPDXRef-DOCUMENT", "DESCRIBES", id)
				}
			}
		default:
			err = s.skip()
		}
		if err != nil {
			return nil, "", s.fail(err)
		}
	}
	if err := s.delim('}'); err != nil {
		return nil, "", s.fail(err)
	}
	if _, err := s.dec.Token(); err != io.EOF {
		if err == nil {
			return nil, "", fmt.Errorf("%s: not valid JSON: %s: data after the document", name, lr.where(base+s.dec.InputOffset()))
		}
		return nil, "", s.fail(err)
	}
	switch {
	case cdxSeen:
		return s.b.resolve(), CycloneDXJSON, nil
	case spdxSeen:
		s.b.spdx = true
		doc := s.b.resolve()
		sortByKey(doc.Components)
		return doc, SPDXJSON, nil
	}
	return nil, "", fmt.Errorf("%s: JSON without bomFormat (CycloneDX) or spdxVersion (SPDX): not an SBOM osgauge reads", name)
}

func sortByKey(cs []Component) {
	slices.SortStableFunc(cs, func(a, b Component) int { return strings.Compare(a.Key, b.Key) })
}

func (s *jsonStream) delim(want json.Delim) error {
	s.decoding = false
	t, err := s.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("%s: expected %q, found %v", s.lr.where(s.base+s.dec.InputOffset()), want, t)
	}
	return nil
}

// decode decodes the next value, remembering where it began for errors.
func (s *jsonStream) decode(v any) error {
	s.before, s.decoding = s.dec.InputOffset(), true
	err := s.dec.Decode(v)
	if err == nil {
		s.decoding = false
	}
	return err
}

// each calls fn for every element of the array that is the next value
// (nothing for null).
func (s *jsonStream) each(fn func() error) error {
	s.decoding = false
	t, err := s.dec.Token()
	if err != nil {
		return err
	}
	if t == nil {
		return nil
	}
	if d, ok := t.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("%s: expected an array, found %v", s.lr.where(s.base+s.dec.InputOffset()), t)
	}
	for s.dec.More() {
		if err := fn(); err != nil {
			return err
		}
	}
	s.decoding = false
	_, err = s.dec.Token()
	return err
}

// ignore skips a value without keeping it (the decoder still checks it).
type ignore struct{}

func (*ignore) UnmarshalJSON([]byte) error { return nil }

// skip passes over the next value; arrays element by element, so that a
// large section osgauge does not read (SPDX files, CycloneDX
// vulnerabilities) is never held whole.
func (s *jsonStream) skip() error {
	s.decoding = false
	t, err := s.dec.Token()
	if err != nil {
		return err
	}
	switch t {
	case json.Delim('['):
		for s.dec.More() {
			if err := s.decode(&ignore{}); err != nil {
				return err
			}
		}
		s.decoding = false
		_, err = s.dec.Token()
	case json.Delim('{'):
		for s.dec.More() {
			if _, err := s.dec.Token(); err != nil {
				return err
			}
			if err := s.skip(); err != nil {
				return err
			}
		}
		_, err = s.dec.Token()
	}
	return err
}

// fail names the file and the line of a decoding error. Offsets of
// syntax errors inside Decode count from the start of the value; those of
// the token API from the start of the stream; type errors from the value
// (after the separator before it).
func (s *jsonStream) fail(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	format := s.format
	if format == "" {
		format = "JSON"
	}
	switch {
	case errors.As(err, &se):
		off := se.Offset // the token API counts from the start
		if s.decoding {
			// Decode's offsets count only the bytes Decode scanned:
			// scan the value again from its start, from the window.
			off = s.dec.InputOffset()
			var re *json.SyntaxError
			if rest := s.lr.from(s.base + off); errors.As(json.NewDecoder(bytes.NewReader(rest)).Decode(&ignore{}), &re) {
				off += max(0, re.Offset-1)
			}
		}
		return fmt.Errorf("%s: not valid JSON: %s: %s", s.name, s.lr.where(s.base+off), se.Error())
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Errorf("%s: not valid JSON: %s: unexpected end of file", s.name, s.lr.where(s.lr.end()))
	case errors.As(err, &te):
		start := s.lr.skipSep(s.base + s.before)
		return fmt.Errorf("%s: %s: %s: %s", s.name, format, s.lr.where(start+te.Offset), te.Error())
	}
	return fmt.Errorf("%s: %s: %w", s.name, format, err)
}
