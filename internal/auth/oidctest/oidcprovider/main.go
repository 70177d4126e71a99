// Command oidcprovider is a real OpenID provider for grunnlag's end-to-end
// tests: zitadel/oidc's example provider (its op package, in-memory
// storage and login page) on loopback, with the users and the one client
// the test gives it. It prints "issuer=URL" on stdout once it listens, and
// runs until it is killed. It is test equipment, never part of grunnlag.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "where to listen")
	host := flag.String("host", "localhost", "the host name in the issuer URL (the port is the listener's)")
	users := flag.String("users", "", "JSON file of users: id → {ID, Username, Password, Email, EmailVerified}")
	clientID := flag.String("client-id", "grunnlag", "the client id of grunnlag")
	redirect := flag.String("redirect", "", "the allowed redirect URIs of grunnlag, a glob (e.g. http://127.0.0.1:*/logg-inn/oidc/*/svar)")
	flag.Parse()
	secret := os.Getenv("OIDCPROVIDER_CLIENT_SECRET")
	if *users == "" || *redirect == "" || secret == "" {
		fmt.Fprintln(os.Stderr, "oidcprovider: -users, -redirect and $OIDCPROVIDER_CLIENT_SECRET are required")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "oidcprovider:", err)
		os.Exit(1)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	issuer := "http://" + net.JoinHostPort(*host, port) + "/"

	userStore, err := storage.StoreFromFile(*users)
	if err != nil {
		fmt.Fprintln(os.Stderr, "oidcprovider: users:", err)
		os.Exit(1)
	}
	client := &webClient{Client: storage.WebClient(*clientID, secret, strings.ReplaceAll(*redirect, "*", "0")), globs: []string{*redirect}}
	st := &clientStorage{Storage: storage.NewStorageWithClients(userStore, map[string]*storage.Client{*clientID: client.Client}), client: client}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	router := exampleop.SetupServer(issuer, st, logger, false)
	fmt.Println("issuer=" + issuer)
	if err := http.Serve(ln, router); err != nil {
		fmt.Fprintln(os.Stderr, "oidcprovider:", err)
		os.Exit(1)
	}
}

// webClient is the example's web client, with two changes a relying party
// such as grunnlag needs: the ID token carries the user's claims (e-mail
// among them), and the redirect URI is a glob, since grunnlag's port is
// chosen when it starts.
type webClient struct {
	*storage.Client
	globs []string
}

func (c *webClient) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *webClient) RedirectURIGlobs() []string           { return c.globs }
func (c *webClient) PostLogoutRedirectURIGlobs() []string { return nil }

// clientStorage is the example's in-memory storage answering with the
// webClient.
type clientStorage struct {
	*storage.Storage
	client *webClient
}

func (s *clientStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	if id == s.client.GetID() {
		return s.client, nil
	}
	return s.Storage.GetClientByClientID(ctx, id)
}
