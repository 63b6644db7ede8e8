package verification

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDescribePlaceGeo(t *testing.T) {
	for in, want := range map[string]Words{
		"geo:16.0544,108.2022":                 {"Vị trí địa lý 16.0544° Bắc, 108.2022° Đông", "Geographic position 16.0544° N, 108.2022° E"},
		"geo:-33.86,-151.2;u=30":               {"Vị trí địa lý 33.86° Nam, 151.2° Tây", "Geographic position 33.86° S, 151.2° W"},
		"geo:50.9475,6.9221,45":                {"Vị trí địa lý 50.9475° Bắc, 6.9221° Đông", "Geographic position 50.9475° N, 6.9221° E"},
		"https://id.gs1.org/414/8935678000040": {"Địa điểm (mã GLN 8935678000040)", "Place (GLN 8935678000040)"},
		"geo:95,10":                            {"geo:95,10", "geo:95,10"},
	} {
		assert.Equal(t, want, DescribePlace(in), in)
	}
}
