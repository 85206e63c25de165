// Package yamlpos finds where a key sits in a YAML document, so that
// validation errors can name the line, and tidies yaml.v3's decode errors.
package yamlpos

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Doc is a parsed YAML document kept for positions.
type Doc struct{ root *yaml.Node }

// Parse parses data for positions; a document that does not parse yields
// a Doc that knows no positions (decoding reports that error instead).
func Parse(data []byte) Doc {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return Doc{}
	}
	return Doc{&n}
}

// At returns "line N: " for the node at path (mapping keys and sequence
// indexes), or for the deepest ancestor found; "" when nothing is known.
func (d Doc) At(path ...string) string {
	if n := d.find(path...); n != nil && n.Line > 0 {
		return fmt.Sprintf("line %d: ", n.Line)
	}
	return ""
}

func (d Doc) find(path ...string) *yaml.Node {
	n := d.root
	if n == nil {
		return nil
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, p := range path {
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					next = n.Content[i+1]
				}
			}
			if next == nil {
				return n
			}
			n = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(n.Content) {
				return n
			}
			n = n.Content[i]
		default:
			return n
		}
	}
	return n
}

// CleanError drops yaml.v3's "yaml: unmarshal errors:" preamble so that
// messages read "file: line 12: field foo not found in type …".
func CleanError(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	return msg
}
