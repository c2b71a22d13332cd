// Marks the page as having JavaScript, as the NHS design system expects. Kept in a file
// because the Content-Security-Policy forbids inline script.
document.documentElement.className += ' js-enabled';
document.addEventListener('DOMContentLoaded', function () {
  document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '');
});
