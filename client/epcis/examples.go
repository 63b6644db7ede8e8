package epcis

import "embed"

// Examples are realistic EPCIS 2.0 JSON-LD documents of a Da Nang pork
// chain, one per business (farm, slaughterhouse, processor, retailer),
// plus the processor's correction (an error declaration with its
// corrective event). The demo imports them; so do the tests.
//
//go:embed examples/*.jsonld
var Examples embed.FS

// ExampleFiles lists the pork chain documents in the order the chain
// happened, with the demo key of the business that submits each.
var ExampleFiles = []struct{ File, Key string }{
	{"examples/farm.jsonld", "farm"},
	{"examples/slaughterhouse.jsonld", "slaughterhouse"},
	{"examples/processor.jsonld", "processor"},
	{"examples/retailer.jsonld", "retailer"},
}

// ExampleCorrection is the processor's correction document.
const ExampleCorrection = "examples/processor-correction.jsonld"
