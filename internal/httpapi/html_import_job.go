package httpapi

// The web import runs in the background once its file is read and, when needed, confirmed: the
// person waits on a progress page (GET /import?job=…) that lists the phases as they go, with
// their rows and times — the same events the command line prints a line for
// (store.ImportOptions.Phase and Progress, named by store.ImportPhaseName) — and reloads itself
// every two seconds without script (the Refresh header) until the result replaces it. An import
// that ends within importWait is answered directly, as before.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sync"
	"time"

	"dangvu"
	"dangvu/internal/exchange"
	"dangvu/internal/store"
	"dangvu/internal/vn"
)

// importWait is how long the upload's answer waits for the import before showing its progress.
const importWait = 3 * time.Second

// importJob is one web import: its phases so far, and its answer once done.
type importJob struct {
	id, user, file string
	started        time.Time

	mu     sync.Mutex
	phases []importPhase
	done   bool
	ended  time.Time
	status int        // the answer's status once done
	result importData // the answer once done
}

// importPhase is a phase of an import as the progress page shows it.
type importPhase struct {
	Name     string
	Rows     int
	HasRows  bool
	Start    time.Time
	End      time.Time // zero while it runs
	Seconds  string
	PerSec   string
	Running  bool
	Finished bool
}

// importProgress is what the progress page shows.
type importProgress struct {
	ID, File string
	Phases   []importPhase
	Elapsed  string
	Done     bool
}

func (j *importJob) phase(name string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := time.Now()
	if n := len(j.phases); n > 0 && j.phases[n-1].End.IsZero() {
		j.phases[n-1].End = now
	}
	j.phases = append(j.phases, importPhase{Name: store.ImportPhaseName(name), Start: now})
}

func (j *importJob) rows(n int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if k := len(j.phases); k > 0 {
		j.phases[k-1].Rows, j.phases[k-1].HasRows = n, true
	}
}

func (j *importJob) finish(status int, d importData) {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := time.Now()
	if n := len(j.phases); n > 0 && j.phases[n-1].End.IsZero() {
		j.phases[n-1].End = now
	}
	j.done, j.ended, j.status, j.result = true, now, status, d
}

// view copies the job's state for a page.
func (j *importJob) view() importProgress {
	j.mu.Lock()
	defer j.mu.Unlock()
	now := time.Now()
	v := importProgress{ID: j.id, File: j.file, Done: j.done}
	end := now
	if j.done {
		end = j.ended
	}
	v.Elapsed = formatSeconds(end.Sub(j.started))
	for _, p := range j.phases {
		stop := p.End
		if stop.IsZero() {
			stop, p.Running = now, true
		} else {
			p.Finished = true
		}
		d := stop.Sub(p.Start)
		p.Seconds = formatSeconds(d)
		if p.HasRows && p.Rows > 0 && d >= 50*time.Millisecond {
			p.PerSec = vn.FormatInt(int64(float64(p.Rows) / d.Seconds()))
		}
		v.Phases = append(v.Phases, p)
	}
	return v
}

func formatSeconds(d time.Duration) string {
	return vn.FormatDecimal(d.Seconds(), 1)
}

// importJobs holds the web imports of the last hour, by id.
type importJobs struct {
	mu   sync.Mutex
	jobs map[string]*importJob
}

func (s *Server) importJobs() *importJobs {
	s.importOnce.Do(func() { s.imports = &importJobs{jobs: map[string]*importJob{}} })
	return s.imports
}

func (js *importJobs) add(user, file string) *importJob {
	var b [16]byte
	rand.Read(b[:])
	j := &importJob{id: hex.EncodeToString(b[:]), user: user, file: file, started: time.Now()}
	js.mu.Lock()
	defer js.mu.Unlock()
	for id, old := range js.jobs { // forget the imports finished over an hour ago
		old.mu.Lock()
		stale := old.done && time.Since(old.ended) > time.Hour
		old.mu.Unlock()
		if stale {
			delete(js.jobs, id)
		}
	}
	js.jobs[j.id] = j
	return j
}

// get returns the job of that id started by user (another's is not found, as an unknown one).
func (js *importJobs) get(id, user string) *importJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	if j := js.jobs[id]; j != nil && j.user == user {
		return j
	}
	return nil
}

// runImport imports the staged upload in the background, reporting to a job, and answers with
// the result if it comes within importWait, else with a redirect to the progress page. It owns
// the staged folder and removes it when the import ends.
func (s *Server) runImport(w http.ResponseWriter, r *http.Request, user string, st staged) error {
	job := s.importJobs().add(user, st.name)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer os.RemoveAll(st.dir)
		defer func() {
			if p := recover(); p != nil {
				if s.Logger != nil {
					s.Logger.Error("import panicked", "file", st.name, "panic", fmt.Sprint(p))
				}
				job.finish(http.StatusInternalServerError, importData{File: st.name, Message: "Lỗi nội bộ khi nhập; không có thay đổi nào được ghi."})
			}
		}()
		status, d := s.importStaged(user, st, job)
		job.finish(status, d)
	}()
	select {
	case <-done:
		return s.importAnswer(w, r, job)
	case <-time.After(s.importWaitFor()):
		http.Redirect(w, r, "/import?job="+url.QueryEscape(job.id), http.StatusSeeOther)
		return nil
	}
}

func (s *Server) importWaitFor() time.Duration {
	if s.ImportWait != 0 {
		return max(s.ImportWait, 0)
	}
	return importWait
}

// importStaged imports a staged upload with a context of its own (the upload's request ends
// before a long import does) and returns the page's answer.
func (s *Server) importStaged(user string, st staged, job *importJob) (int, importData) {
	rd, err := exchange.OpenLimited(st.src, importLimits)
	if err != nil {
		return importFailure(err, st.name)
	}
	defer rd.Close()
	res, err := s.Store.Import(context.Background(), rd, store.ImportOptions{Actor: user, Source: st.name, Checksum: st.sum, Within: st.within, DryRun: st.dry,
		Phase: job.phase, Progress: func(_ string, n int) { job.rows(n) }})
	if err != nil {
		return importFailure(err, st.name)
	}
	d := importData{File: st.name, Ignored: append(st.skip, rd.Stats().Ignored...), DryRun: res.DryRun}
	for _, t := range exchange.Tables() {
		d.Rows = append(d.Rows, importCount{t.Name, res.Rows[t.Name]})
		if c, ok := res.Changes[t.Name]; ok && c != (store.TableChange{}) {
			d.Changes = append(d.Changes, importChange{t.Name, c.Added, c.Changed, c.Removed})
		}
	}
	return http.StatusOK, d
}

// importFailure is the answer to a refused import: the file's errors by row and field, or the
// reason; an error of another kind is an internal one, logged by the caller's page.
func importFailure(err error, name string) (int, importData) {
	if d, err := importRefused(err, name); err == nil {
		return http.StatusUnprocessableEntity, d
	}
	return http.StatusInternalServerError, importData{File: name, Message: "Không nhập được: " + dangvu.ErrorMessage(err) + "; không có thay đổi nào được ghi."}
}

// importAnswer shows a job: its result once done (with its phases), else its progress, reloaded.
func (s *Server) importAnswer(w http.ResponseWriter, r *http.Request, job *importJob) error {
	v := job.view()
	job.mu.Lock()
	status, d := job.status, job.result
	job.mu.Unlock()
	if !v.Done {
		w.Header().Set("Refresh", "2")
		status, d = http.StatusOK, importData{File: v.File}
	}
	d.Job = &v
	return s.renderImport(w, r, status, d)
}
