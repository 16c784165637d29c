// Loads the students table from the JSON endpoint.
fetch("/api/students")
  .then((r) => r.json())
  .then((data) => {
    const body = document.querySelector("#students tbody");
    body.replaceChildren(
      ...data.students.map((s) => {
        const tr = document.createElement("tr");
        for (const v of [s.name, s.class, s.grade || "hidden"]) {
          const td = document.createElement("td");
          td.textContent = v;
          tr.append(td);
        }
        return tr;
      }),
    );
  });
