// The phone page's service worker: the page and its files from the network
// when there is one, else from the cache, so a phone offline still opens the
// page and shows the code kept on it. Never caches a posted form's answer.
const CACHE = "ck-declare-2";
const SHELL = ["/declare/", "/declare/phone.css", "/declare/phone.js", "/declare/icon.svg"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith("/declare/")) {
    return;
  }
  if (request.method === "POST") {
    // Sent without a network: back to the page in the visitor's language,
    // which says a new code needs the network once (and puts the answers back).
    const form = request.clone().formData().catch(() => null);
    event.respondWith(
      fetch(request).catch(() => form.then((f) => {
        const back = new URLSearchParams();
        back.set("checkpoint", (f && f.get("checkpoint")) || "");
        back.set("lang", (f && f.get("lang")) || "vi");
        back.set("offline", "1");
        return Response.redirect(url.pathname + "?" + back.toString(), 303);
      }))
    );
    return;
  }
  if (request.method !== "GET") {
    return;
  }
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put(request, copy));
        }
        return response;
      })
      .catch(() => {
        const kept = new URL(request.url);
        kept.searchParams.delete("offline");
        return caches.match(request)
          .then((hit) => hit || caches.match(kept.toString()))
          .then((hit) => hit || caches.match(request, { ignoreSearch: true }))
          .then((hit) => hit || caches.match("/declare/"));
      })
  );
});
