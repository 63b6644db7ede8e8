package networks_test

import (
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// link is a TCP proxy carrying the p2p connections node `from` dials to
// node `to`. Blocking a link drops its connections and refuses new ones:
// with every peer address pointing at a link (and PEX off), the test can
// cut any set of node pairs on one host, deterministically, without root,
// iptables or containers.
type link struct {
	from, to int
	target   string
	ln       net.Listener

	mu      sync.Mutex
	blocked bool
	conns   map[net.Conn]struct{}
}

func newLink(from, to int, listen, target string) (*link, error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("proxy %d->%d: %w", from, to, err)
	}
	l := &link{from: from, to: to, target: target, ln: ln, conns: map[net.Conn]struct{}{}}
	go l.serve()
	return l, nil
}

func (l *link) addr() string { return l.ln.Addr().String() }

func (l *link) serve() {
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		go l.pipe(c)
	}
}

func (l *link) track(cs ...net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.blocked {
		return false
	}
	for _, c := range cs {
		l.conns[c] = struct{}{}
	}
	return true
}

func (l *link) untrack(cs ...net.Conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range cs {
		delete(l.conns, c)
	}
}

func (l *link) pipe(c net.Conn) {
	defer c.Close()
	if !l.track(c) {
		return
	}
	defer l.untrack(c)
	d, err := net.DialTimeout("tcp", l.target, 2*time.Second)
	if err != nil {
		return
	}
	defer d.Close()
	if !l.track(d) {
		return
	}
	defer l.untrack(d)
	done := make(chan struct{}, 2)
	cp := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		dst.Close()
		src.Close()
		done <- struct{}{}
	}
	go cp(d, c)
	go cp(c, d)
	<-done
	<-done
}

// setBlocked blocks (dropping every open connection) or unblocks the link.
func (l *link) setBlocked(b bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.blocked = b
	if b {
		for c := range l.conns {
			c.Close()
		}
		clear(l.conns)
	}
}

func (l *link) close() {
	l.ln.Close()
	l.setBlocked(true)
}

// mesh holds one link per ordered pair of nodes.
type mesh struct {
	n     int
	links map[[2]int]*link
}

// newMesh creates links for n nodes: node i reaches node j's p2p address
// p2p(j) through the link listening on proxy(i, j).
func newMesh(n int, p2p func(int) string, proxy func(i, j int) string) (*mesh, error) {
	m := &mesh{n: n, links: map[[2]int]*link{}}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i == j {
				continue
			}
			l, err := newLink(i, j, proxy(i, j), p2p(j))
			if err != nil {
				m.close()
				return nil, err
			}
			m.links[[2]int{i, j}] = l
		}
	}
	return m, nil
}

// partition cuts every link between nodes of different groups; nodes in
// no group are cut from everyone.
func (m *mesh) partition(groups ...[]int) {
	group := map[int]int{}
	for g, ns := range groups {
		for _, n := range ns {
			group[n] = g + 1
		}
	}
	for k, l := range m.links {
		gi, gj := group[k[0]], group[k[1]]
		l.setBlocked(gi == 0 || gj == 0 || gi != gj)
	}
}

// heal unblocks every link.
func (m *mesh) heal() {
	for _, l := range m.links {
		l.setBlocked(false)
	}
}

func (m *mesh) close() {
	for _, l := range m.links {
		l.close()
	}
}
