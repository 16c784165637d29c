// Package search is a tiny in-memory search engine, the kind of thing a
// custom toolbar panel is for.
package search

import (
	"context"
	"strings"
)

// Index holds documents by index name.
type Index struct {
	docs map[string][]string
}

// New returns an index with a few products and articles.
func New() *Index {
	return &Index{docs: map[string][]string{
		"products": {"red bicycle", "blue bicycle helmet", "bicycle pump", "kettle"},
		"articles": {"How to fix a bicycle chain", "Choosing a kettle", "Tea for beginners"},
	}}
}

// Query returns the documents of the named index that contain query.
//
//ddt:search
func (ix *Index) Query(ctx context.Context, index, query string) (hits int, docs []string) {
	for _, d := range ix.docs[index] {
		if strings.Contains(strings.ToLower(d), strings.ToLower(query)) {
			docs = append(docs, d)
		}
	}
	return len(docs), docs
}
