package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// Recorded is a file of observations recorded earlier by osgauge's own
// collectors (examples/recorded/portfolio.json, written by
// `go run ./examples/recorded/gen`), which `osgauge demo` imports instead
// of collecting: each observation keeps the instant it describes, the
// commit it was computed from and its source.
type Recorded struct {
	// Label names the data in every output ("recorded sample data").
	Label string `json:"label"`
	// Note says what was recorded and what was not.
	Note string `json:"note"`
	// Recorder is the command that wrote the file.
	Recorder string `json:"recorder"`
	// OsgaugeAt is the osgauge commit the recorder ran.
	OsgaugeAt string `json:"osgauge_commit,omitempty"`
	// Snapshot is the newest instant recorded (the repositories'
	// snapshot); Backfill are the quarters recorded at their ends, oldest
	// first.
	Snapshot     time.Time             `json:"snapshot"`
	Backfill     []string              `json:"backfill"`
	Projects     []RecordedProject     `json:"projects"`
	Observations []RecordedObservation `json:"observations"`
}

// RecordedProject is one project of a recorded file.
type RecordedProject struct {
	Name    string `json:"name"`
	Repo    string `json:"repo"`
	UseType string `json:"use_type"`
}

// RecordedObservation is one observation with the commit it describes.
type RecordedObservation struct {
	Subject    string    `json:"subject"`
	Metric     string    `json:"metric"`
	Value      *float64  `json:"value"`
	Text       string    `json:"text,omitempty"`
	Unit       string    `json:"unit,omitempty"`
	Source     string    `json:"source"`
	ObservedAt time.Time `json:"observed_at"`
	Commit     string    `json:"commit"`
	Evidence   string    `json:"evidence,omitempty"`
	Reason     string    `json:"reason,omitempty"`
}

var commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)

// ReadRecorded decodes and checks a recorded file; errors name the file
// and the field (observations[12].commit).
func ReadRecorded(name string, data []byte) (*Recorded, error) {
	var r Recorded
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s: line %d: %v", name, bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))+1, err)
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if r.Label == "" {
		return nil, fmt.Errorf("%s: label: empty (every output names the data by it)", name)
	}
	for i, q := range r.Backfill {
		if _, err := assess.ParsePeriod(q); err != nil {
			return nil, fmt.Errorf("%s: backfill[%d]: %v", name, i, err)
		}
	}
	ids := map[string]bool{}
	for i, p := range r.Projects {
		if p.Name == "" || p.Repo == "" {
			return nil, fmt.Errorf("%s: projects[%d]: name and repo are required", name, i)
		}
		ids[ProjectID(p.Name, p.Repo)] = true
	}
	for i, o := range r.Observations {
		at := fmt.Sprintf("%s: observations[%d]", name, i)
		switch {
		case !ids[o.Subject]:
			return nil, fmt.Errorf("%s.subject: %q is not one of the projects", at, o.Subject)
		case o.Metric == "":
			return nil, fmt.Errorf("%s.metric: empty", at)
		case o.Source == "":
			return nil, fmt.Errorf("%s.source: empty", at)
		case o.ObservedAt.IsZero():
			return nil, fmt.Errorf("%s.observed_at: missing", at)
		case o.ObservedAt.After(r.Snapshot):
			return nil, fmt.Errorf("%s.observed_at: %s is after the snapshot %s", at, o.ObservedAt.Format(time.RFC3339), r.Snapshot.Format(time.RFC3339))
		case !commitRE.MatchString(o.Commit):
			return nil, fmt.Errorf("%s.commit: %q is not a 40-digit commit id", at, o.Commit)
		}
	}
	return &r, nil
}

// RecordedImport says what ImportRecorded stored.
type RecordedImport struct {
	// Already is set when the file had been imported into this store
	// before: nothing was stored again.
	Already      bool
	Runs         int
	Observations int
}

// ImportRecorded stores the recorded observations: the projects as
// subjects, and one finished collection run per recorded instant, noted
// as recorded data (label, file, instant, commits), so that the reports'
// run lists say where the data came from. A file already imported (its
// first observation is in the store at its instant with its evidence) is
// not stored twice.
func ImportRecorded(ctx context.Context, st *store.Store, r *Recorded, file string, data []byte) (RecordedImport, error) {
	var sum RecordedImport
	if len(r.Observations) == 0 {
		return sum, nil
	}
	first := r.Observations[0]
	prior, err := st.History(ctx, first.Subject, first.Metric)
	if err != nil {
		return sum, err
	}
	for _, o := range prior {
		if o.ObservedAt.Equal(first.ObservedAt) && o.Evidence == r.evidence(first) && o.Source == first.Source {
			sum.Already = true
			return sum, nil
		}
	}
	for _, p := range r.Projects {
		sub := models.Subject{Kind: models.KindProject, ID: ProjectID(p.Name, p.Repo), Name: p.Name,
			Attrs: map[string]string{"use_type": p.UseType, "repo": p.Repo}}
		if err := st.PutSubject(ctx, sub); err != nil {
			return sum, err
		}
	}
	sum256 := sha256.Sum256(data)
	byAt := map[time.Time][]models.Observation{}
	commits := map[time.Time]map[string]bool{}
	for _, o := range r.Observations {
		at := o.ObservedAt.UTC()
		byAt[at] = append(byAt[at], models.Observation{SubjectID: o.Subject, Metric: o.Metric, Value: o.Value, Text: o.Text,
			Unit: o.Unit, Source: o.Source, ObservedAt: at, Evidence: r.evidence(o)})
		if commits[at] == nil {
			commits[at] = map[string]bool{}
		}
		commits[at][o.Commit[:12]] = true
	}
	var ats []time.Time
	for at := range byAt {
		ats = append(ats, at)
	}
	sort.Slice(ats, func(i, j int) bool { return ats[i].Before(ats[j]) })
	for _, at := range ats {
		obs := byAt[at]
		id, err := st.StartRun(ctx, "collect", "")
		if err != nil {
			return sum, err
		}
		for i := range obs {
			obs[i].RunID = id
		}
		note := fmt.Sprintf("%s imported from %s (sha256:%s…), observed as of %s at %d commits; recorded by %s",
			r.Label, file, hex.EncodeToString(sum256[:])[:12], at.Format("2006-01-02"), len(commits[at]), r.Recorder)
		if err := st.AppendObservations(ctx, id, obs); err != nil {
			st.FinishRun(context.WithoutCancel(ctx), id, store.RunFailed, err.Error(), nil)
			return sum, err
		}
		if err := st.FinishRun(ctx, id, store.RunComplete, note, map[string]int{"observations": len(obs)}); err != nil {
			return sum, err
		}
		sum.Runs++
		sum.Observations += len(obs)
	}
	return sum, nil
}

// evidence is an observation's evidence as stored: the recorded evidence,
// the label and the commit.
func (r *Recorded) evidence(o RecordedObservation) string {
	ev := o.Evidence
	if ev != "" {
		ev += "; "
	}
	return ev + r.Label + " at commit " + o.Commit[:12]
}

// RecordedCommit is the commit a project's newest recorded observations
// describe, and their instant ("" when the project has none).
func (r *Recorded) RecordedCommit(subject string) (string, time.Time) {
	var c string
	var at time.Time
	for _, o := range r.Observations {
		if o.Subject == subject && !o.ObservedAt.Before(at) {
			c, at = o.Commit, o.ObservedAt
		}
	}
	return c, at
}
