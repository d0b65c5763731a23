// The theme before the first paint, so a dark-theme user never sees a white flash (theme.ts takes over).
(function () {
  var stored = null;
  try {
    stored = localStorage.getItem('stellar.theme');
  } catch {
    // Storage refused (a private window's policy): the system's preference decides.
  }
  var dark = stored ? stored === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
})();
