# probity_embed(NAME NAMESPACE FILES): generate ${CMAKE_BINARY_DIR}/NAME.cpp defining
#   const std::map<std::string, std::string_view>& NAMESPACE()
# that maps each file's base name to its contents. Regenerated whenever a file changes.
function(probity_embed name ns files)
  set(out ${CMAKE_BINARY_DIR}/${name}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ns} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/EmbedFiles.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/EmbedFiles.cmake
    COMMENT "Embedding ${name}"
    VERBATIM)
endfunction()
