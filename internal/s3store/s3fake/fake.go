// Package s3fake is an in-memory S3 endpoint for tests: PutObject,
// GetObject and ListObjectsV2 in path-style addressing, as
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html,
// API_GetObject.html and API_ListObjectsV2.html describe them, with faults
// to inject (failed and slow requests). Only tests import it.
package s3fake

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is the fake. Set its fields before the requests they affect.
type Server struct {
	*httptest.Server

	mu      sync.Mutex
	objects map[string][]byte // "bucket/key" → body
	// FailNext answers the next n requests with 500 InternalError, which
	// the SDK retries.
	FailNext int
	// Delay holds every request this long before answering.
	Delay time.Duration
	// PageSize is ListObjectsV2's page (default 1000, as S3's MaxKeys).
	PageSize int
	// Log records each request as "METHOD /path?query".
	Log []string
}

// New starts a fake; Close it when done.
func New() *Server {
	s := &Server{objects: map[string][]byte{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Object returns a stored body and whether it exists.
func (s *Server) Object(bucket, key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.objects[bucket+"/"+key]
	return b, ok
}

// Keys lists every stored "bucket/key", sorted.
func (s *Server) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ks []string
	for k := range s.objects {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.Log = append(s.Log, r.Method+" "+r.URL.RequestURI())
	fail := s.FailNext > 0
	if fail {
		s.FailNext--
	}
	delay := s.Delay
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if fail {
		s3Error(w, http.StatusInternalServerError, "InternalError", "injected failure")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		s3Error(w, http.StatusForbidden, "AccessDenied", "request is not signed with Signature Version 4")
		return
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case bucket == "":
		s3Error(w, http.StatusBadRequest, "InvalidBucketName", "no bucket in the path")
	case r.Method == http.MethodPut && key != "":
		s.put(w, r, bucket, key)
	case r.Method == http.MethodGet && key != "":
		s.get(w, bucket, key)
	case r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2":
		s.list(w, r, bucket)
	default:
		s3Error(w, http.StatusNotImplemented, "NotImplemented", r.Method+" "+r.URL.RequestURI())
	}
}

func (s *Server) put(w http.ResponseWriter, r *http.Request, bucket, key string) {
	if enc := r.Header.Get("Content-Encoding"); strings.Contains(enc, "aws-chunked") {
		s3Error(w, http.StatusNotImplemented, "NotImplemented", "aws-chunked uploads")
		return
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		s3Error(w, http.StatusBadRequest, "IncompleteBody", err.Error())
		return
	}
	if n := r.Header.Get("Content-Length"); n != "" && n != strconv.Itoa(len(b)) {
		s3Error(w, http.StatusBadRequest, "IncompleteBody", "body shorter than Content-Length")
		return
	}
	s.mu.Lock()
	s.objects[bucket+"/"+key] = b
	s.mu.Unlock()
	w.Header().Set("ETag", fmt.Sprintf(`"%x"`, len(b)))
	w.WriteHeader(http.StatusOK)
}

func (s *Server) get(w http.ResponseWriter, bucket, key string) {
	b, ok := s.Object(bucket, key)
	if !ok {
		s3Error(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

type listResult struct {
	XMLName               xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	KeyCount              int            `xml:"KeyCount"`
	MaxKeys               int            `xml:"MaxKeys"`
	IsTruncated           bool           `xml:"IsTruncated"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	Contents              []listObject   `xml:"Contents"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
}

type listObject struct {
	Key  string `xml:"Key"`
	Size int    `xml:"Size"`
}

type commonPrefix struct {
	Prefix string `xml:"Prefix"`
}

// list pages through the bucket's keys after the continuation token (here
// simply the last key of the previous page), grouping keys with the
// delimiter after the prefix into common prefixes.
func (s *Server) list(w http.ResponseWriter, r *http.Request, bucket string) {
	q := r.URL.Query()
	prefix, delim, after := q.Get("prefix"), q.Get("delimiter"), q.Get("continuation-token")
	page := s.PageSize
	if page <= 0 {
		page = 1000
	}
	if mk, err := strconv.Atoi(q.Get("max-keys")); err == nil && mk > 0 && mk < page {
		page = mk
	}
	res := listResult{Name: bucket, Prefix: prefix, Delimiter: delim, MaxKeys: page, ContinuationToken: after}
	seen := map[string]bool{}
	for _, bk := range s.Keys() {
		b, key, _ := strings.Cut(bk, "/")
		if b != bucket || !strings.HasPrefix(key, prefix) || key <= after {
			continue
		}
		if res.KeyCount == page {
			res.IsTruncated = true
			break
		}
		if delim != "" {
			if i := strings.Index(key[len(prefix):], delim); i >= 0 {
				cp := key[:len(prefix)+i+len(delim)]
				if !seen[cp] {
					seen[cp] = true
					res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{cp})
					res.KeyCount++
				}
				res.NextContinuationToken = key
				continue
			}
		}
		b2, _ := s.Object(bucket, key)
		res.Contents = append(res.Contents, listObject{Key: key, Size: len(b2)})
		res.KeyCount++
		res.NextContinuationToken = key
	}
	if !res.IsTruncated {
		res.NextContinuationToken = ""
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, xml.Header)
	xml.NewEncoder(w).Encode(res)
}

func s3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	io.WriteString(w, xml.Header+"<Error><Code>"+code+"</Code><Message>")
	xml.EscapeText(w, []byte(msg))
	io.WriteString(w, "</Message></Error>")
}
