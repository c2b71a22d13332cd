# The Debian package: `make package` (release build) or `make package-check` (the build CI already
# made). CPack's DEB generator packages the binary this build tree made, with the files below;
# dpkg-shlibdeps works out Depends from the libraries it links. packaging/README.md says why
# CPack rather than debian/ and dpkg-buildpackage.
# Packaging needs the service binary only: installing must not first build every test target.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(PROBITY_NHSUK_DIST ${CMAKE_SOURCE_DIR}/node_modules/nhsuk-frontend/dist/nhsuk)

install(TARGETS probity RUNTIME DESTINATION bin)
# Static files, found through the installed config's public_dir and assets_dir.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/public/ DESTINATION share/probity/public)
# The NHS design system as npm installed it (never committed): what the pages link to, the
# stylesheet, its script and its images.
install(FILES ${PROBITY_NHSUK_DIST}/nhsuk-frontend.min.css ${PROBITY_NHSUK_DIST}/nhsuk-frontend.min.js
        DESTINATION share/probity/nhsuk)
install(DIRECTORY ${PROBITY_NHSUK_DIST}/assets DESTINATION share/probity/nhsuk)
install(FILES ${CMAKE_SOURCE_DIR}/docs/deployment.md DESTINATION share/doc/probity)
# The config (a conffile: an upgrade never overwrites the administrator's changes) and the units.
install(FILES ${CMAKE_SOURCE_DIR}/packaging/probity.json DESTINATION /etc/probity)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/probity.service ${CMAKE_SOURCE_DIR}/packaging/probity-backup.service
              ${CMAKE_SOURCE_DIR}/packaging/probity-backup.timer
        DESTINATION /lib/systemd/system)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME probity)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Probity maintainers <probity@example.nhs.uk>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "registers of interests and conflicts of interest for NHS commissioning bodies")
set(CPACK_PACKAGE_DESCRIPTION
    "Members declare their interests, gifts and hospitality; governance keeps the registers; chairs get a brief of conflicts and quorum before each meeting; the public reads the register. One binary over one SQLite file, run by systemd as the probity user.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/package)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1 CACHE STRING "The Debian revision of the package (the part after the dash)")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # probity_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# useradd and chown come from passwd and coreutils, both required in every Debian system.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx-light, sqlite3")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/conffiles ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_SOURCE_DIR}/packaging/debian/prerm ${CMAKE_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
