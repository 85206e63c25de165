package osv

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/store"
)

// Cache is where API answers are kept between runs (the store's http_cache).
type Cache interface {
	CacheGet(ctx context.Context, key string) (store.CacheEntry, bool, error)
	CachePut(ctx context.Context, key, etag string, body []byte) error
}

// Query is one package version to ask about.
type Query struct {
	Ecosystem, Name, Version string
}

func (q Query) cacheKey() string { return "osv:query:" + q.Ecosystem + ":" + q.Name + "@" + q.Version }

// BatchSize is how many queries one /v1/querybatch request carries (the
// API accepts up to 1000).
var BatchSize = 1000

// Client asks the OSV API (https://google.github.io/osv.dev/api/):
// /v1/querybatch for the vulnerability ids of many package versions at
// once, /v1/vulns/{id} for the full records. Answers are cached in the
// store: a query for TTL, a record until its modified time changes.
type Client struct {
	BaseURL string
	HTTP    *http.Client
	Cache   Cache
	TTL     time.Duration
	Now     func() time.Time

	mu   sync.Mutex
	cost collectors.Cost
}

// NewClient returns a client for the API at baseURL.
func NewClient(baseURL string, cache Cache) *Client {
	return &Client{BaseURL: strings.TrimSuffix(baseURL, "/"), HTTP: &http.Client{Timeout: 60 * time.Second}, Cache: cache,
		TTL: 24 * time.Hour, Now: time.Now, cost: collectors.Cost{RateRemaining: -1}}
}

// Cost returns the requests made so far.
func (c *Client) Cost() collectors.Cost {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cost
}

// IDRef is a vulnerability id with its modified time, as querybatch gives.
type IDRef struct {
	ID       string `json:"id"`
	Modified string `json:"modified"`
}

type batchQuery struct {
	Package struct {
		Name      string `json:"name"`
		Ecosystem string `json:"ecosystem"`
	} `json:"package"`
	Version   string `json:"version"`
	PageToken string `json:"page_token,omitempty"`
}

type batchResponse struct {
	Results []struct {
		Vulns         []IDRef `json:"vulns"`
		NextPageToken string  `json:"next_page_token"`
	} `json:"results"`
}

// QueryBatch returns the vulnerability ids of each query, in order,
// from the cache when fresh, else from the API in batches.
func (c *Client) QueryBatch(ctx context.Context, qs []Query) ([][]IDRef, error) {
	out := make([][]IDRef, len(qs))
	var todo []int
	for i, q := range qs {
		if c.Cache != nil {
			if e, ok, err := c.Cache.CacheGet(ctx, q.cacheKey()); err == nil && ok && c.Now().Sub(e.UpdatedAt) < c.TTL {
				var ids []IDRef
				if json.Unmarshal(e.Body, &ids) == nil {
					out[i] = ids
					continue
				}
			}
		}
		todo = append(todo, i)
	}
	for start := 0; start < len(todo); start += BatchSize {
		idx := todo[start:min(start+BatchSize, len(todo))]
		pages := make([]string, len(idx))
		pending := idx
		for len(pending) > 0 {
			req := struct {
				Queries []batchQuery `json:"queries"`
			}{}
			for k, i := range pending {
				var bq batchQuery
				bq.Package.Name, bq.Package.Ecosystem, bq.Version = qs[i].Name, qs[i].Ecosystem, qs[i].Version
				bq.PageToken = pages[k]
				req.Queries = append(req.Queries, bq)
			}
			var resp batchResponse
			if err := c.post(ctx, "/v1/querybatch", req, &resp); err != nil {
				return nil, err
			}
			if len(resp.Results) != len(pending) {
				return nil, fmt.Errorf("osv: querybatch answered %d results for %d queries", len(resp.Results), len(pending))
			}
			var next []int
			var nextPages []string
			for k, i := range pending {
				out[i] = append(out[i], resp.Results[k].Vulns...)
				if t := resp.Results[k].NextPageToken; t != "" {
					next = append(next, i)
					nextPages = append(nextPages, t)
				}
			}
			pending, pages = next, nextPages
		}
		if c.Cache != nil {
			for _, i := range idx {
				ids := out[i]
				if ids == nil {
					ids = []IDRef{}
				}
				b, _ := json.Marshal(ids)
				if err := c.Cache.CachePut(ctx, qs[i].cacheKey(), "", b); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// Vuln fetches one full record.
func (c *Client) Vuln(ctx context.Context, id string) ([]byte, error) {
	return c.get(ctx, "/v1/vulns/"+url.PathEscape(id))
}

func (c *Client) post(ctx context.Context, path string, body, into any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	data, err := c.do(ctx, http.MethodPost, path, b)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, into); err != nil {
		return fmt.Errorf("osv: %s: %w", path, err)
	}
	return nil
}

func (c *Client) get(ctx context.Context, path string) ([]byte, error) {
	return c.do(ctx, http.MethodGet, path, nil)
}

// do sends one request, retrying 429 and 5xx answers up to three times.
func (c *Client) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	var last error
	for attempt := 0; attempt < 4; attempt++ {
		if attempt > 0 {
			c.mu.Lock()
			c.cost.Retries++
			c.mu.Unlock()
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * 200 * time.Millisecond):
			}
		}
		req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		c.mu.Lock()
		c.cost.Requests++
		c.mu.Unlock()
		resp, err := c.HTTP.Do(req)
		if err != nil {
			last = fmt.Errorf("osv: %s %s: %w", method, path, err)
			continue
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
		resp.Body.Close()
		switch {
		case err != nil:
			last = err
		case resp.StatusCode == http.StatusOK:
			return data, nil
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			last = fmt.Errorf("osv: %s %s: %s", method, path, resp.Status)
		default:
			return nil, fmt.Errorf("osv: %s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(data[:min(len(data), 200)])))
		}
	}
	return nil, last
}
