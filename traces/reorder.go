package traces

// recHeap is a binary min-heap on (At, seq): equal times keep file order.
type recHeap struct{ a []heapRec }

type heapRec struct {
	LogRecord
	seq uint64
}

func (h *recHeap) len() int       { return len(h.a) }
func (h *recHeap) min() LogRecord { return h.a[0].LogRecord }
func (h *recHeap) less(i, j int) bool {
	return h.a[i].At < h.a[j].At || h.a[i].At == h.a[j].At && h.a[i].seq < h.a[j].seq
}

func (h *recHeap) push(r heapRec) {
	h.a = append(h.a, r)
	i := len(h.a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h.a[i], h.a[p] = h.a[p], h.a[i]
		i = p
	}
}

func (h *recHeap) pop() LogRecord {
	top := h.a[0].LogRecord
	n := len(h.a) - 1
	h.a[0] = h.a[n]
	h.a = h.a[:n]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < n && h.less(l, m) {
			m = l
		}
		if r < n && h.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		h.a[i], h.a[m] = h.a[m], h.a[i]
		i = m
	}
	if n == 0 && cap(h.a) > 1024 {
		h.a = nil // give a burst's memory back
	}
	return top
}
