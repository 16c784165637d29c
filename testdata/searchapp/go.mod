module example.com/searchapp

go 1.26.0

require github.com/go-ddt/ddt v0.0.0

replace github.com/go-ddt/ddt => ../..
