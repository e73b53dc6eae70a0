import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fieldErrors, NewPasswordForm } from "./NewPassword";

function renderForm(onSubmit = vi.fn(async () => [] as never[]), onDone = vi.fn()) {
  render(<NewPasswordForm askCurrent submitLabel="Changer" onSubmit={onSubmit} onDone={onDone} />);
  return {
    current: screen.getByLabelText("Mot de passe actuel"),
    next: screen.getByLabelText("Nouveau mot de passe"),
    repeat: screen.getByLabelText("Confirmer le nouveau mot de passe"),
    submit: screen.getByRole("button", { name: "Changer" }),
    onSubmit,
    onDone,
  };
}

describe("NewPasswordForm", () => {
  it("shows the server's rules and sends nothing while the two entries differ", async () => {
    const user = userEvent.setup();
    const form = renderForm();
    expect(form.next.getAttribute("aria-describedby")).toBeTruthy();
    expect(document.getElementById(form.next.getAttribute("aria-describedby") ?? "")?.textContent).toContain(
      "Au moins 12 caractères",
    );
    await user.type(form.current, "old-password-1");
    await user.type(form.next, "Vanille-Cannelle-97110!");
    await user.type(form.repeat, "Vanille-Cannelle-97110?");
    await user.click(form.submit);
    expect(form.onSubmit).not.toHaveBeenCalled();
    expect(form.repeat.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(form.repeat);
  });

  it("puts the server's user errors at their fields and the others in an alert", async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn(async () => [
      { field: ["input", "currentPassword"], code: "INVALID_CREDENTIALS", message: "Le mot de passe actuel est incorrect." },
      { field: null, code: "TOO_MANY_ATTEMPTS", message: "Trop de tentatives." },
    ]);
    const form = renderForm(onSubmit as never);
    await user.type(form.current, "wrong");
    await user.type(form.next, "Vanille-Cannelle-97110!");
    await user.type(form.repeat, "Vanille-Cannelle-97110!");
    await user.click(form.submit);
    expect(onSubmit).toHaveBeenCalledWith("wrong", "Vanille-Cannelle-97110!");
    expect(form.current.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Le mot de passe actuel est incorrect.").id).toBe(
      form.current.getAttribute("aria-describedby"),
    );
    expect(screen.getByRole("alert").textContent).toBe("Trop de tentatives.");
    expect(document.activeElement).toBe(form.current);
    expect(form.onDone).not.toHaveBeenCalled();
  });

  it("empties the fields and says so when the change is done", async () => {
    const user = userEvent.setup();
    const form = renderForm();
    await user.type(form.current, "old-password-1");
    await user.type(form.next, "Vanille-Cannelle-97110!");
    await user.type(form.repeat, "Vanille-Cannelle-97110!");
    await user.click(form.submit);
    expect(form.onDone).toHaveBeenCalledOnce();
    expect((form.next as HTMLInputElement).value).toBe("");
    expect(form.current.getAttribute("aria-invalid")).toBeNull();
  });

  it("reads a field's path without the input prefix", () => {
    expect(
      fieldErrors([
        { field: ["input", "newPassword"], message: "a" },
        { field: ["input", "newPassword"], message: "b" },
        { field: null, message: "c" },
      ]),
    ).toEqual({ newPassword: "a b", "": "c" });
  });
});
