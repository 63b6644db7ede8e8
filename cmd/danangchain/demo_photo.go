package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// demoCarvingPNG draws the demo's product photo: a white marble Quan Âm
// statue on a lotus pedestal in a workshop (a drawing, 360x480 PNG), so
// the demo's craft product shows a real picture served by the node's IPFS
// gateway. The same bytes every time: the same CID on every demo.
func demoCarvingPNG() []byte {
	const w, h = 360, 480
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	mix := func(a, b [3]float64, t float64) [3]float64 {
		t = math.Max(0, math.Min(1, t))
		return [3]float64{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
	}
	wall, wallLow := [3]float64{214, 226, 232}, [3]float64{232, 222, 203}
	floor, floorFar := [3]float64{168, 150, 124}, [3]float64{196, 180, 154}
	marble, marbleShade := [3]float64{246, 244, 239}, [3]float64{178, 176, 172}
	halo := [3]float64{222, 196, 120}
	cx := float64(w) / 2
	// Marble veins: a few fixed sine curves.
	vein := func(x, y float64) float64 {
		v := math.Abs(math.Sin(x*0.045+y*0.021+math.Sin(y*0.013)*2.1)) * math.Abs(math.Sin(x*0.011-y*0.037))
		return math.Max(0, 0.05-v) * 2.5
	}
	// shade lights a rounded surface from the upper left: u is -1..1 across it.
	shade := func(u, y float64) [3]float64 {
		light := 0.5 + 0.5*math.Cos((u+0.35)*math.Pi/1.6)
		c := mix(marbleShade, marble, light)
		d := vein(cx+u*60, y)
		return mix(c, [3]float64{150, 150, 150}, d)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			var c [3]float64
			if fy < 380 {
				c = mix(wall, wallLow, fy/380)
			} else {
				c = mix(floorFar, floor, (fy-380)/100)
			}
			// Shadow on the floor.
			if e := math.Pow((fx-cx-18)/120, 2) + math.Pow((fy-410)/16, 2); e < 1 {
				c = mix(c, [3]float64{120, 105, 88}, 0.45*(1-e))
			}
			// Halo behind the head.
			if r := math.Hypot(fx-cx, fy-118); r > 50 && r < 58 {
				c = mix(c, halo, 0.85)
			}
			// Lotus pedestal: stacked ellipses with petal scallops.
			for i, p := range []struct{ y, rx, ry float64 }{{398, 110, 16}, {380, 96, 18}, {360, 84, 16}} {
				u := (fx - cx) / p.rx
				petal := 3 * math.Abs(math.Sin(u*math.Pi*2.5))
				if math.Pow(u, 2)+math.Pow((fy-p.y)/p.ry, 2) < 1 || (i == 2 && fy < p.y && fy > p.y-14-petal && math.Abs(u) < 0.95) {
					c = shade(u, fy)
					c = mix(c, [3]float64{232, 226, 214}, 0.25)
				}
			}
			// Robe: widening from the shoulders (y 150) to the hem (y 350).
			if fy >= 150 && fy <= 352 {
				t := (fy - 150) / 200
				half := 34 + 30*t + 8*math.Sin(t*math.Pi)
				if u := (fx - cx) / half; math.Abs(u) < 1 {
					c = shade(u, fy)
					// Folds of the robe.
					fold := math.Abs(math.Sin(u*math.Pi*3 + t*1.5))
					c = mix(c, marbleShade, 0.18*(1-fold)*t)
				}
			}
			// Shoulders.
			if e := math.Pow((fx-cx)/44, 2) + math.Pow((fy-160)/22, 2); e < 1 {
				c = shade((fx-cx)/44, fy)
			}
			// Hands at the chest holding a small vase.
			if e := math.Pow((fx-cx+4)/18, 2) + math.Pow((fy-220)/12, 2); e < 1 {
				c = mix(shade((fx-cx+4)/18, fy), marbleShade, 0.15)
			}
			if fx > cx-7 && fx < cx+7 && fy > 196 && fy < 214 {
				c = mix(shade((fx-cx)/7, fy), [3]float64{200, 205, 200}, 0.3)
			}
			// Neck and head with a hair bun.
			if math.Abs(fx-cx) < 11 && fy > 128 && fy < 150 {
				c = shade((fx-cx)/11, fy)
			}
			if e := math.Pow((fx-cx)/24, 2) + math.Pow((fy-112)/29, 2); e < 1 {
				c = shade((fx-cx)/24, fy)
			}
			if e := math.Pow((fx-cx)/13, 2) + math.Pow((fy-78)/12, 2); e < 1 {
				c = shade((fx-cx)/13, fy)
			}
			img.SetRGBA(x, y, color.RGBA{uint8(c[0]), uint8(c[1]), uint8(c[2]), 255})
		}
	}
	var buf bytes.Buffer
	_ = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	return buf.Bytes()
}
