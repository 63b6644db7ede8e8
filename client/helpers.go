package client

import (
	cmtlog "github.com/cometbft/cometbft/libs/log"
	"github.com/cometbft/cometbft/light/provider"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	"github.com/cometbft/cometbft/types"
)

type providerT = provider.Provider

func rpcQueryOpts(height int64, prove bool) rpcclient.ABCIQueryOptions {
	return rpcclient.ABCIQueryOptions{Height: height, Prove: prove}
}

type nopLogger struct{}

func (nopLogger) Debug(string, ...any)    {}
func (nopLogger) Info(string, ...any)     {}
func (nopLogger) Error(string, ...any)    {}
func (n nopLogger) With(...any) cmtLogger { return n }

type cmtLogger = cmtlog.Logger

func hashOf(txBytes []byte) []byte { return types.Tx(txBytes).Hash() }
