package instrument

// stripSource removes in-place instrumentation from src.
func stripSource(src []byte) ([]byte, edits, error) {
	return src, nil, nil
}

func (r *run) stripAll() {}
