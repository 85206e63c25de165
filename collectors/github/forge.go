package github

import "github.com/osgauge/osgauge/collectors/forge"

// The transport, its counters and the cache are shared by every forge
// collector; these names keep the GitHub collector's API as it was.
type (
	Transport = forge.Transport
	Counter   = forge.Counter
	Cache     = forge.Cache
	MemCache  = forge.MemCache
)

var (
	WithCounter  = forge.WithCounter
	NewMemCache  = forge.NewMemCache
	SleepContext = forge.SleepContext
	loadJSON     = forge.LoadJSON
	saveJSON     = forge.SaveJSON
)
