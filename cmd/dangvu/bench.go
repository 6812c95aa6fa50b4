package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"dangvu"
	"dangvu/internal/vn"
)

// dangvu bench: the load test of issue 20 (docs/benchmarks.md). Many clients at once ask a
// server on this machine for the pages people wait on — member search, the member list and the
// organisation page at every level from a cell to the root, a ward's report — for a bounded
// time, and the command prints each page's latency percentiles against its target and, when it
// started the server itself, the server's memory at rest and at its peak.
//
// With --db it starts `dangvu serve` on a free loopback port as a child process (so that the
// memory measured is the server's alone) and a temporary administrator account with an API
// token, disabled again at the end (both in the audit log). With --url it loads a server already
// running, which must listen on a loopback address: a load test is never pointed at someone
// else's server by mistake.

// benchTarget is one address loaded in a phase, with its target p95.
type benchTarget struct {
	phase, name, path string
	goal              time.Duration
}

// benchResult is what the clients saw of one target.
type benchResult struct {
	benchTarget
	lat    []time.Duration
	errors int
	first  string // the first error, to say what went wrong
}

func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", "bench (--db DB | --url http://127.0.0.1:CỔNG --token MÃ) [--clients 50] [--duration 60s] [--phases search,members,orgs,report]", stderr)
	db := fs.String("db", "", "cơ sở dữ liệu: chạy một máy chủ riêng trên địa chỉ loopback để đo, rồi dừng nó")
	key := keyFileFlag(fs)
	base := fs.String("url", "", "địa chỉ của máy chủ đang chạy trên chính máy này (127.0.0.1, ::1 hoặc localhost)")
	token := fs.String("token", os.Getenv("DANGVU_TOKEN"), "mã truy cập API của một tài khoản toàn hệ thống (với --url; mặc định biến DANGVU_TOKEN)")
	clients := fs.Int("clients", 50, "số máy khách đồng thời")
	duration := fs.Duration("duration", 60*time.Second, "thời gian tải của mỗi giai đoạn")
	phases := fs.String("phases", "search,members,orgs,report", "các giai đoạn, cách nhau bằng dấu phẩy")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*db == "") == (*base == "") {
		return dangvu.Errorf(dangvu.EInvalid, "chỉ ra đúng một trong --db (chạy máy chủ riêng) hoặc --url (máy chủ đang chạy)")
	}
	if *clients < 1 || *duration <= 0 {
		return dangvu.Errorf(dangvu.EInvalid, "--clients phải từ 1 trở lên và --duration lớn hơn 0")
	}
	var pid int
	if *db != "" {
		srv, err := startBenchServer(ctx, *db, *key, stderr)
		if err != nil {
			return err
		}
		defer srv.stop(ctx, stderr)
		*base, *token, pid = srv.url, srv.token, srv.cmd.Process.Pid
	} else {
		if err := loopbackOnly(*base); err != nil {
			return err
		}
		if *token == "" {
			return dangvu.Errorf(dangvu.EInvalid, "--url cần --token (mã truy cập API của một tài khoản toàn hệ thống: dangvu user token)")
		}
	}
	c := &benchClient{base: strings.TrimSuffix(*base, "/"), token: *token, http: &http.Client{
		Timeout:   2 * time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: *clients, MaxConnsPerHost: *clients},
	}}
	targets, err := c.targets(ctx)
	if err != nil {
		return err
	}
	var mem *rssSampler
	if pid != 0 {
		mem = newRSSSampler(pid)
		defer mem.stop()
	}
	fmt.Fprintf(stdout, "Tải %s: %d máy khách, %s mỗi giai đoạn, %d lõi\n\n", c.base, *clients, *duration, runtime.NumCPU())
	rest := mem.current()
	var results []*benchResult
	for _, ph := range strings.Split(*phases, ",") {
		ph = strings.TrimSpace(ph)
		var ts []benchTarget
		for _, t := range targets {
			if t.phase == ph {
				ts = append(ts, t)
			}
		}
		if len(ts) == 0 {
			return dangvu.Errorf(dangvu.EInvalid, "không có giai đoạn %q (search, members, orgs, report)", ph)
		}
		fmt.Fprintf(stderr, "giai đoạn %s: %d trang\n", ph, len(ts))
		results = append(results, c.load(ctx, ts, *clients, *duration)...)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	writeBenchTable(stdout, results)
	for _, r := range results {
		if r.errors > 0 {
			fmt.Fprintf(stdout, "\n%s, %s: %d yêu cầu lỗi; lỗi đầu tiên: %s", r.phase, r.name, r.errors, r.first)
		}
	}
	if mem != nil {
		peak, anon := mem.peak()
		fmt.Fprintf(stdout, "\nBộ nhớ máy chủ (RSS): lúc nghỉ %s, cao nhất khi tải %s (mục tiêu ≤ 300 MB), trong đó bộ nhớ riêng (RssAnon) cao nhất %s; phần còn lại là trang của tệp cơ sở dữ liệu được ánh xạ để đọc (bộ nhớ đệm tệp của hệ điều hành)\n", mib(rest), mib(peak), mib(anon))
	}
	for _, r := range results {
		if r.errors > 0 {
			return dangvu.Errorf(dangvu.EInternal, "%s %s: %d yêu cầu lỗi, lỗi đầu tiên: %s", r.phase, r.name, r.errors, r.first)
		}
	}
	return nil
}

// loopbackOnly refuses an address that is not on this machine.
func loopbackOnly(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return dangvu.Errorf(dangvu.EInvalid, "--url %q không phải địa chỉ http(s)://máy:cổng", raw)
	}
	h := u.Hostname()
	if ip := net.ParseIP(h); h != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return dangvu.Errorf(dangvu.EInvalid, "--url %q: chỉ đo máy chủ trên chính máy này (127.0.0.1, ::1, localhost)", raw)
	}
	return nil
}

// benchServer is a `dangvu serve` started for the load test, with its temporary account.
type benchServer struct {
	cmd        *exec.Cmd
	url, token string
	db, key    string
	user       string
	out        *bytes.Buffer
}

// startBenchServer creates the temporary account and starts the server on a free loopback port.
func startBenchServer(ctx context.Context, db, key string, stderr io.Writer) (*benchServer, error) {
	s, err := openStoreWith(ctx, db, key, stderr)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	suffix := make([]byte, 4)
	rand.Read(suffix)
	b := &benchServer{db: db, key: key, user: "bench-" + hex.EncodeToString(suffix), out: &bytes.Buffer{}}
	pw := make([]byte, 24)
	rand.Read(pw)
	if _, err := s.CreateUser(ctx, currentUser(), dangvu.User{Username: b.user, FullName: "Tài khoản đo tải (dangvu bench)", UserRole: dangvu.UserAdmin}, hex.EncodeToString(pw)); err != nil {
		return nil, err
	}
	if b.token, err = s.CreateAPIToken(ctx, currentUser(), b.user, "dangvu bench"); err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--db", db, "--addr", addr}
	if key != "" {
		args = append(args, "--key-file", key)
	}
	b.cmd = exec.Command(exe, args...)
	b.cmd.Stdout, b.cmd.Stderr = b.out, b.out
	if err := b.cmd.Start(); err != nil {
		return nil, err
	}
	b.url = "http://" + addr
	// The server is ready when it answers its health check.
	deadline := time.Now().Add(5 * time.Minute)
	for {
		resp, err := http.Get(b.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return b, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil || b.cmd.ProcessState != nil {
			b.stop(ctx, stderr)
			return nil, fmt.Errorf("bench: the server did not start: %v\n%s", err, b.out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop ends the server and disables the temporary account.
func (b *benchServer) stop(ctx context.Context, stderr io.Writer) {
	b.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		b.cmd.Process.Kill()
		<-done
	}
	s, err := openStoreWith(context.WithoutCancel(ctx), b.db, b.key, stderr)
	if err == nil {
		err = s.DisableUser(context.WithoutCancel(ctx), currentUser(), b.user)
		s.Close()
	}
	if err != nil {
		fmt.Fprintf(stderr, "Không khóa được tài khoản đo tải %s: %v (dangvu user disable --username %s)\n", b.user, err, b.user)
	}
}

type benchClient struct {
	base, token string
	http        *http.Client
}

func (c *benchClient) get(ctx context.Context, path string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return body, resp.StatusCode, err
}

func (c *benchClient) getJSON(ctx context.Context, path string, v any) error {
	body, code, err := c.get(ctx, path)
	if err != nil {
		return err
	}
	if code != http.StatusOK {
		return dangvu.Errorf(dangvu.EInternal, "GET %s: %d %s", path, code, strings.TrimSpace(string(body)))
	}
	return json.Unmarshal(body, v)
}

// targets picks what to load from the data itself, through the API: the root, the largest
// province, a ward (a grassroots committee with members) and a cell, and words of members' names
// to search for.
func (c *benchClient) targets(ctx context.Context) ([]benchTarget, error) {
	type orgs struct {
		Organisations []dangvu.OrgNode `json:"organisations"`
	}
	first := func(q string, pick func([]dangvu.OrgNode) *dangvu.OrgNode) (*dangvu.OrgNode, error) {
		var o orgs
		if err := c.getJSON(ctx, "/api/v1/organisations?"+q, &o); err != nil {
			return nil, err
		}
		if n := pick(o.Organisations); n != nil {
			return n, nil
		}
		return nil, nil
	}
	largest := func(ns []dangvu.OrgNode) *dangvu.OrgNode {
		var best *dangvu.OrgNode
		for i := range ns {
			if best == nil || ns[i].Members > best.Members {
				best = &ns[i]
			}
		}
		return best
	}
	firstWithMembers := func(ns []dangvu.OrgNode) *dangvu.OrgNode {
		for i := range ns {
			if ns[i].Members > 0 {
				return &ns[i]
			}
		}
		return nil
	}
	root, err := first("depth=1&limit=1000", func(ns []dangvu.OrgNode) *dangvu.OrgNode {
		for i := range ns {
			if ns[i].ParentID == "" {
				return &ns[i]
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, dangvu.Errorf(dangvu.EInvalid, "cơ sở dữ liệu chưa có tổ chức đảng nào để đo")
	}
	type level struct {
		name string
		node *dangvu.OrgNode
	}
	levels := []level{{"gốc", root}}
	province, err := first("level=province&limit=1000", largest)
	if err != nil {
		return nil, err
	}
	under := root.ID
	if province != nil {
		levels = append(levels, level{"tỉnh", province})
		under = province.ID
	}
	ward, err := first("under="+url.QueryEscape(under)+"&level=grassroots_committee&limit=1000", firstWithMembers)
	if err != nil {
		return nil, err
	}
	if ward != nil {
		levels = append(levels, level{"phường, xã", ward})
		under = ward.ID
	}
	cell, err := first("under="+url.QueryEscape(under)+"&level=cell&limit=1000", firstWithMembers)
	if err != nil {
		return nil, err
	}
	if cell != nil {
		levels = append(levels, level{"chi bộ", cell})
	}
	var ts []benchTarget
	for _, l := range levels {
		id := url.QueryEscape(l.node.ID)
		label := fmt.Sprintf("%s %s (%s đảng viên)", l.name, l.node.ID, vn.FormatInt(int64(l.node.Members)))
		ts = append(ts,
			benchTarget{"members", "danh sách " + label, "/members?org=" + id, 100 * time.Millisecond},
			benchTarget{"members", "API danh sách " + label, "/api/v1/members?limit=50&org=" + id, 100 * time.Millisecond},
			benchTarget{"orgs", "trang tổ chức " + label, "/orgs/" + id, 100 * time.Millisecond})
	}
	if ward != nil {
		ts = append(ts, benchTarget{"report", fmt.Sprintf("báo cáo nhiệm kỳ phường, xã %s", ward.ID), "/reports/term?preset=term&org=" + url.QueryEscape(ward.ID), 200 * time.Millisecond})
	}
	// Searches over the whole tree: the first two words of a few names (a family and a middle
	// name: many answers) and a given name (the last word).
	from := root.ID
	if cell != nil {
		from = cell.ID
	}
	var ms struct {
		Members []struct {
			Name string `json:"full_name"`
		} `json:"members"`
	}
	if err := c.getJSON(ctx, "/api/v1/members?limit=20&org="+url.QueryEscape(from), &ms); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, m := range ms.Members {
		words := strings.Fields(vn.Fold(m.Name))
		if len(words) < 2 {
			continue
		}
		for _, q := range []string{words[0] + " " + words[1], words[len(words)-1]} {
			if len(seen) < 4 && !seen[q] {
				seen[q] = true
				ts = append(ts, benchTarget{"search", "tìm “" + q + "”", "/api/v1/members?limit=20&q=" + url.QueryEscape(q), 10 * time.Millisecond})
			}
		}
	}
	return ts, nil
}

// load runs clients for d, each asking for the targets in turn from its own starting point.
func (c *benchClient) load(ctx context.Context, ts []benchTarget, clients int, d time.Duration) []*benchResult {
	res := make([]*benchResult, len(ts))
	for i, t := range ts {
		res[i] = &benchResult{benchTarget: t}
	}
	var mu sync.Mutex
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	for k := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := k; ctx.Err() == nil; i++ {
				r := res[i%len(res)]
				began := time.Now()
				body, code, err := c.get(ctx, r.path)
				took := time.Since(began)
				if ctx.Err() != nil {
					return // cut off by the end of the phase: not a measurement
				}
				mu.Lock()
				r.lat = append(r.lat, took)
				if err == nil && code != http.StatusOK {
					err = fmt.Errorf("HTTP %d: %.200s", code, strings.TrimSpace(string(body)))
				}
				if err != nil {
					if r.errors == 0 {
						r.first = err.Error()
					}
					r.errors++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return res
}

// percentile of sorted latencies (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func writeBenchTable(w io.Writer, rs []*benchResult) {
	fmt.Fprintln(w, "| giai đoạn | trang | yêu cầu | lỗi | p50 | p95 | p99 | lâu nhất | mục tiêu p95 | đạt |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rs {
		slices.Sort(r.lat)
		p95 := percentile(r.lat, 0.95)
		ok := "có"
		if p95 > r.goal || r.errors > 0 || len(r.lat) == 0 {
			ok = "không"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %d | %s | %s | %s | %s | ≤ %s | %s |\n", r.phase, r.name, vn.FormatInt(int64(len(r.lat))), r.errors,
			ms(percentile(r.lat, 0.5)), ms(p95), ms(percentile(r.lat, 0.99)), ms(percentile(r.lat, 1)), ms(r.goal), ok)
	}
}

// ms prints a duration in milliseconds the Vietnamese way (decimal comma).
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	if v >= 100 {
		return vn.FormatInt(int64(v+0.5)) + " ms"
	}
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1) + " ms"
}

func mib(b int64) string {
	if b <= 0 {
		return "không đo được"
	}
	return vn.FormatInt(b>>20) + " MB"
}

// rssSampler reads a process's resident memory every 100 ms and keeps the highest, in all
// (VmRSS) and its own part (RssAnon: the heap and SQLite's page cache). The rest is pages of the
// database file the server maps to read it (SQLite's mmap): the operating system's file cache,
// shared and given back under pressure, but resident all the same.
type rssSampler struct {
	pid       int
	mu        sync.Mutex
	max, anon int64
	done      chan struct{}
}

func newRSSSampler(pid int) *rssSampler {
	s := &rssSampler{pid: pid, done: make(chan struct{})}
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-t.C:
				v, a := s.read()
				s.mu.Lock()
				s.max, s.anon = max(s.max, v), max(s.anon, a)
				s.mu.Unlock()
			}
		}
	}()
	return s
}

// current is the process's resident set now (VmRSS of /proc/PID/status), 0 when unknown.
func (s *rssSampler) current() int64 {
	v, _ := s.read()
	return v
}

// read returns VmRSS and RssAnon of /proc/PID/status, 0 when unknown.
func (s *rssSampler) read() (rss, anon int64) {
	if s == nil {
		return 0, 0
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	kb := func(rest string) int64 {
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		return n << 10
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			rss = kb(rest)
		} else if rest, ok := strings.CutPrefix(sc.Text(), "RssAnon:"); ok {
			anon = kb(rest)
		}
	}
	return rss, anon
}

func (s *rssSampler) peak() (rss, anon int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.max, s.anon
}

func (s *rssSampler) stop() { close(s.done) }
