package osv

import (
	"context"
	"errors"
)

// QueryVersion asks the OSV API for the advisories of one package version
// that is not (yet) in the inventory, a candidate for intake, and stores
// the records the store lacks or holds in an older version, as the
// inventory matching does. It returns the advisory ids the API named. The
// caller matches the stored records (VulnsForPackage, AffectedVersion).
func (c *Collector) QueryVersion(ctx context.Context, q Query) ([]string, error) {
	if c.client == nil {
		return nil, errors.New("osv: the API is off (osv.api_url)")
	}
	ids, err := c.client.QueryBatch(ctx, []Query{q})
	if err != nil {
		return nil, err
	}
	if err := c.fetch(ctx, ids); err != nil {
		return nil, err
	}
	var out []string
	if len(ids) > 0 {
		for _, r := range ids[0] {
			out = append(out, r.ID)
		}
	}
	return out, nil
}

// Online reports whether the collector asks the OSV API.
func (c *Collector) Online() bool { return c.client != nil }
