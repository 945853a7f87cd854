"""The phone's signal in browser tests: going offline cuts the service worker's requests too."""

from __future__ import annotations

from typing import Any

EVERYTHING = "**/*"


def _no_signal(route: Any) -> None:
    """Fail a request as a phone without signal does."""
    route.abort("internetdisconnected")


def go_offline(context: Any) -> None:
    """Emulate a lost signal for every page and for the service worker.

    Chromium's offline emulation alone is not enough: some builds let a service worker's fetch through it
    (seen in CI with a findings sync and a sign-out reaching the server "offline"). A context route sees the
    service worker's requests as well, so it fails them as the emulation should.
    """
    context.set_offline(True)
    context.route(EVERYTHING, _no_signal)


def go_online(context: Any) -> None:
    """Give the signal back."""
    context.unroute(EVERYTHING, _no_signal)
    context.set_offline(False)


# Runs before the app's own listeners (capture at the target comes first) and stops them.
DEAF_TO_THE_SIGNAL = "window.addEventListener('online', (event) => event.stopImmediatePropagation(), true)"


def close_offline(page: Any) -> None:
    """Close the app while the phone has no signal.

    Chromium gives a closing page back its emulated signal: the page sees an `online` event as it goes and
    would sync or sign out then, which a phone closing the app without signal never does (and which escapes
    any route, the page being gone). The page is made deaf to that event first.
    """
    page.evaluate(DEAF_TO_THE_SIGNAL)
    page.close()
