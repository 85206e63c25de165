package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/osgauge/osgauge/collectors/forge"
)

const (
	kindFull  = "full"
	kindCheck = "check"
)

// gqlResult is one repository's part of a batched answer.
type gqlResult struct {
	repo    *gqlRepo
	err     error
	batched bool // read with other repositories
}

// errGone is a repository GraphQL does not find (NOT_FOUND for its alias).
var errGone = errors.New("repository not found, or not visible to the token (GraphQL NOT_FOUND)")

// batcher gathers repositories into one query. Applies hints every
// repository a run will collect (pipeline.Plan asks Applies for every
// target before the first Collect); when Collect needs a repository read,
// the batcher reads it together with the next hinted repositories that need
// the same kind of read, and keeps their answers until their Collect asks.
type batcher struct {
	mu     sync.Mutex
	hints  []repoRef
	hinted map[string]bool
	next   map[string]int  // per kind: hints before it were taken
	taken  map[string]bool // kind + " " + repository: in a batch of that kind already (or never needs one)
	ready  map[string]gqlResult
	wait   map[string]chan struct{}
}

func newBatcher() *batcher {
	return &batcher{hinted: map[string]bool{}, taken: map[string]bool{}, next: map[string]int{}, ready: map[string]gqlResult{}, wait: map[string]chan struct{}{}}
}

func repoKey(r repoRef) string { return strings.ToLower(r.Owner + "/" + r.Name) }

func (b *batcher) hint(r repoRef) {
	b.mu.Lock()
	defer b.mu.Unlock()
	k := repoKey(r)
	if !b.hinted[k] {
		b.hinted[k] = true
		b.hints = append(b.hints, r)
		return
	}
	// Hinted again: a later run of a long-lived collector (pipeline.Plan
	// asks Applies once per run): the repository may be batched again.
	delete(b.taken, kindFull+" "+k)
	delete(b.taken, kindCheck+" "+k)
	b.next = map[string]int{}
}

// get returns ref's answer to a kind query, reading it (with other hinted
// repositories) when no batch has yet.
func (c *Collector) gqlGet(ctx context.Context, kind string, ref repoRef) gqlResult {
	b := c.batch
	key := kind + " " + repoKey(ref)
	b.mu.Lock()
	if res, ok := b.ready[key]; ok {
		delete(b.ready, key)
		b.mu.Unlock()
		return c.retryAlone(ctx, kind, ref, res)
	}
	if ch, ok := b.wait[key]; ok {
		b.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return gqlResult{err: ctx.Err()}
		}
		b.mu.Lock()
		res, ok := b.ready[key]
		delete(b.ready, key)
		b.mu.Unlock()
		if ok {
			return c.retryAlone(ctx, kind, ref, res)
		}
		return c.fetchOne(ctx, kind, ref)
	}
	size := batchFull
	if kind == kindCheck {
		size = batchCheck
	}
	batch := []repoRef{ref}
	b.taken[key] = true
	ch := make(chan struct{})
	b.wait[key] = ch
	looked := 0
	for i := b.next[kind]; i < len(b.hints) && len(batch) < size && looked < 4*size; i++ {
		h := b.hints[i]
		hk := kind + " " + repoKey(h)
		if b.taken[hk] {
			continue
		}
		looked++
		switch c.kindOf(ctx, h) {
		case kind:
			b.taken[hk] = true
			b.wait[hk] = ch
			batch = append(batch, h)
		case "rest":
			b.taken[hk] = true // refreshed by REST: never batched
		}
	}
	for b.next[kind] < len(b.hints) && b.taken[kind+" "+repoKey(b.hints[b.next[kind]])] {
		b.next[kind]++
	}
	b.mu.Unlock()

	results := c.fetchBatch(ctx, kind, batch)
	b.mu.Lock()
	for i, r := range batch {
		k := kind + " " + repoKey(r)
		delete(b.wait, k)
		if i > 0 {
			b.ready[k] = results[i]
		}
	}
	b.mu.Unlock()
	close(ch)
	return c.retryAlone(ctx, kind, ref, results[0])
}

// retryAlone reads ref again on its own when the batch it was read in
// failed as a whole (a query too slow for the server, a transient error).
func (c *Collector) retryAlone(ctx context.Context, kind string, ref repoRef, res gqlResult) gqlResult {
	var rf *errRefused
	if res.err == nil || !res.batched || errors.Is(res.err, errGone) || errors.As(res.err, &rf) || ctx.Err() != nil {
		return res
	}
	return c.fetchOne(ctx, kind, ref)
}

func (c *Collector) fetchOne(ctx context.Context, kind string, ref repoRef) gqlResult {
	return c.fetchBatch(ctx, kind, []repoRef{ref})[0]
}

// kindOf is the read a hinted repository's Collect will need.
func (c *Collector) kindOf(ctx context.Context, r repoRef) string {
	st := &projectState{}
	if !loadJSON(ctx, c.opts.Cache, stateKey(c.webHost, r), st) || st.V != stateVersion {
		return kindFull
	}
	switch {
	case forge.FullRead(st.FullAt, c.opts.Now()):
		return kindFull
	case st.Via == viaGraphQL:
		return kindCheck
	}
	return "rest"
}

// fetchBatch asks one query for every repository of batch.
func (c *Collector) fetchBatch(ctx context.Context, kind string, batch []repoRef) []gqlResult {
	out := make([]gqlResult, len(batch))
	per := requestsFull
	if kind == kindCheck {
		per = requestsCheck
	}
	op, text := batchQuery(kind, len(batch))
	vars := map[string]any{}
	for i, r := range batch {
		vars[fmt.Sprintf("o%d", i)], vars[fmt.Sprintf("n%d", i)] = r.Owner, r.Name
	}
	resp, err := c.query(ctx, op, text, vars, estimatePoints(len(batch), per))
	if err != nil {
		for i := range out {
			out[i] = gqlResult{err: err, batched: len(batch) > 1}
		}
		return out
	}
	aliasErr := map[string]error{}
	for _, e := range resp.Errors {
		if len(e.Path) == 0 {
			continue
		}
		alias, _ := e.Path[0].(string)
		if e.Type == "NOT_FOUND" {
			aliasErr[alias] = errGone
		} else if aliasErr[alias] == nil {
			aliasErr[alias] = fmt.Errorf("GraphQL error %s: %s", e.Type, e.Message)
		}
	}
	for i := range batch {
		alias := fmt.Sprintf("r%d", i)
		raw, ok := resp.Data[alias]
		var g gqlRepo
		switch {
		case aliasErr[alias] != nil && (!ok || string(raw) == "null"):
			out[i] = gqlResult{err: aliasErr[alias], batched: len(batch) > 1}
		case !ok || string(raw) == "null":
			out[i] = gqlResult{err: errGone}
		default:
			if err := json.Unmarshal(raw, &g); err != nil {
				out[i] = gqlResult{err: fmt.Errorf("GraphQL answer for %s is not the documented Repository shape: %v", batch[i], err)}
				continue
			}
			out[i] = gqlResult{repo: &g, err: aliasErr[alias], batched: len(batch) > 1}
		}
	}
	return out
}
