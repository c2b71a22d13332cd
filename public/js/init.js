// Marks the page as having JavaScript, as the NHS design system expects. Kept in a file
// because the Content-Security-Policy forbids inline script.
document.documentElement.className += ' js-enabled';
// Not 'nhsuk-frontend-supported': that class tells the design system's CSS that its components'
// JavaScript has run (for example, the header menu stops wrapping because the script would move
// overflowing links into a "More" menu). We do not load that script, so the pages keep the
// no-script layout, which reflows to 320px wide.
document.addEventListener('DOMContentLoaded', function () {
  document.body.className += ' js-enabled';
});
